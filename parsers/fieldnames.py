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
