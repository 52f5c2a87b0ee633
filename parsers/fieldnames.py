"""The labels of a quoted mail's header block as mail clients write them, in the languages they are localised to.

Outlook writes "From:" / "Sent:" / "To:" / "Subject:" in the user's language, with the original's address or
without it (an Exchange mailbox shows only the display name); Gmail, Apple Mail and Thunderbird write "From:"
/ "Date:" / "Subject:" / "To:" in a forward. These are client conventions, listed as closings are (a shape
alone cannot tell "Kimden: Desk" / "Gönderildi: …" from a form the writer fills in). Labels that are everyday words
elsewhere (Bulgarian "До:", Russian for "until"; "Za:", "Kam:", "Tema:", "Prima:") are left out: a block whose From
and Sent are known takes a line between them as a field's wrapped value anyway. linekinds.py builds its
header-field patterns from them; lookalikes.py asks which labels are a date.
"""

from __future__ import annotations

import re

FROM_FIELDS = (
    r"From|От|От кого|Von|De|De la|Da|Van|Fra|Från|Od|Lähettäjä|Feladó|Kimden|Expéditeur|Afzender|Από|Từ|Dari"
    r"|Šalje|Saatja|Nuo|מאת|من|发件人|發件人|寄件者|差出人|보낸 사람"
)
SENT_FIELDS = (  # when it was sent (Outlook) ...
    r"Sent|Отправлено|Gesendet|Envoyé|Date d'envoi|Enviado|Enviada em|Inviato|Verzonden|Sendt|Skickat|Wysłano"
    r"|Wysłane|Odesláno|Odoslané|Lähetetty|Gönderildi|Gönderilme|Trimis|Στάλθηκε|Elküldve|Изпратено|Poslato"
    r"|Poslano|Đã gửi|Dikirim|Enviat|Enviat el|Saatmisaeg|Išsiųsta|Nosūtīts|נשלח|تم الإرسال"
    r"|发送时间|發送時間|送信日時|보낸 날짜"
)
SUBJECT_FIELDS = (  # ... or what it was about; a bare "Date:" next to "From:" may be a trip request
    r"Subject|Тема|Betreff|Objet|Asunto|Assunto|Oggetto|Onderwerp|Emne|Ämne|Temat|Předmět|Predmet|Aihe|Konu"
    r"|Subiect|Θέμα|Tárgy|Chủ đề|Subjek|Perihal|Assumpte|Zadeva|Teema|Tēma|נושא|الموضوع"
    r"|主题|主題|件名|제목"
)
DATE_FIELDS = r"Date|Дата|Datum|Fecha|Data|日期"
TO_FIELDS = (
    r"To|Cc|Bcc|Reply-To|Кому|Копия|An|Kopie|À|A|Répondre à|Destinataire|Para|Risposta|Aan|Beantwoorden - Aan"
    r"|Til|Till|Kopia|Do|DW|Komu|Vastaanottaja|Kime|Bilgi|Către|Προς|Κοιν|Címzett|Másolat|Копие|Đến"
    r"|Kepada|Per a|Adressaat|Kopija|Kópia|إلى|收件人|抄送|宛先|받는 사람|참조"
)


# One record a line: a short label (at most four words, no sentence's punctuation) and its value after a colon
# or an equals sign, an optional list marker before it; or a label alone that heads the records below it. A row
# of two or more cells a tab apart (a table, also an HTML table's) is a record whatever its first cell says.
_RECORD_RE = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?[^\s:=.!?,;][^:=.!?;\t\n]{0,40}?(?:[ \t]*[:=][ \t]*\S|:[ \t]*$)")
_LABEL_WORDS = 4


def is_record(line: str) -> bool:
    """Whether a line is one record of a form or a report ("ФИО гостя: Котова И.С.", "job_id = 17", a table row)
    rather than a sentence: a program's report is made of them (autoreport), and so is a form a person fills in."""
    if "\t" in line and sum(1 for cell in line.split("\t") if cell.strip()) >= 2:
        return True
    if _RECORD_RE.match(line) is None:
        return False
    label = re.split(r"[:=]", line.strip().lstrip("-*• \t"), maxsplit=1)[0]
    return len(label.split()) <= _LABEL_WORDS
