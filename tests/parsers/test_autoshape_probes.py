"""Notices and look-alikes in shapes the blind set (test_autoshape_blind.py) did not have, written AFTER reading
the automatic-mail rules, so they measure nothing blind: they keep what the rules now know. The notations of
other MTAs that Mailman's bounce detectors know (usa.net, hotpop, demon, Prodigy, SMTPSVC, Yahoo/SBC, EarthLink,
LSMTP, EYOU, Smail, InterScan, old MDaemon, Netscape, IMail/SMTP32, Exchange 5.5, Notes, ...: the ideas from their
source, no fixture of theirs), Russian gateways and delay notices, header-less out-of-office replies in other
languages and other helpdesks' acknowledgments (Zendesk, Jira Service Management, osTicket, Freshdesk, OTRS),
and people whose mail only looks automatic.
Each row: the mail's header lines and text, the kind (None: a person), the failed recipients, the returned
Message-ID; the mail is put on the wire as a client would (RFC 2047 for non-ASCII header text, CRLF).
"""

from __future__ import annotations

from email.header import Header

import pytest

from postdesk.parsers import ParseOptions, parse_mail

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example", "it@corp.example"}))

PROBES: tuple[tuple[str, str, str, str | None, tuple[str, ...], str | None], ...] = (
    ('usa_net_intended_recipient',
     'Return-Path: <>\n'
     'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.usanet.example>\n'
     'Subject: Returned mail: User unknown\n',
     'Intended recipient: a.petrov@usanet.example\n'
     'Reason: user unknown\n'
     '\n'
     '--------RETURNED MAIL FOLLOWS--------\n'
     'From: Service Desk <service@corp.example>\n'
     'To: a.petrov@usanet.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.501.1.0001f5@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('a.petrov@usanet.example',), 'postdesk.501.1.0001f5@corp.example'),
    ('hotpop_undeliverable_address',
     'Return-Path: <>\n'
     'From: postmaster@hotpop.example\n'
     'Subject: Undeliverable mail\n',
     'Undeliverable Address: b.ivanova@hotpop.example\n'
     'Reason: The mailbox is disabled.\n'
     '\n'
     'Original message attached\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: b.ivanova@hotpop.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.502.1.0001f6@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('b.ivanova@hotpop.example',), 'postdesk.502.1.0001f6@corp.example'),
    ('demon_addressed_to_quoted',
     'Return-Path: <>\n'
     'From: Mail Delivery System <MAILER-DAEMON@post.demon.example>\n'
     'Subject: Mail delivery failed\n',
     'This message was created automatically by mail delivery software.\n'
     '\n'
     'A message that you sent could not be delivered to all of its recipients.\n'
     '\n'
     "The message addressed to 'c.sokolov@demon.example' could not be delivered\n"
     'because the user does not exist.\n'
     '\n'
     '---- START OF RETURNED MESSAGE ----\n'
     'From: Service Desk <service@corp.example>\n'
     'To: c.sokolov@demon.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.503.1.0001f7@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('c.sokolov@demon.example',), 'postdesk.503.1.0001f7@corp.example'),
    ('prodigy_mailbox_full',
     'Return-Path: <>\n'
     'From: Mail Administrator <Postmaster@prodigy.example>\n'
     'Subject: Mail System Error - Returned Mail\n',
     "User's mailbox is full: <d.morozova@prodigy.example>\n"
     'Unable to deliver mail.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: d.morozova@prodigy.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.504.1.0001f8@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('d.morozova@prodigy.example',), 'postdesk.504.1.0001f8@corp.example'),
    ('ms_smtpsvc_could_not_be_delivered',
     'Return-Path: <>\n'
     'From: postmaster@smtpsvc.example\n'
     'Subject: Delivery Status Notification (Failure)\n',
     'The email below could not be delivered to the following user:\n'
     '\n'
     '"e.volkov@smtpsvc.example" <e.volkov@smtpsvc.example>\n'
     '\n'
     'Old message:\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: e.volkov@smtpsvc.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.505.1.0001f9@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('e.volkov@smtpsvc.example',), 'postdesk.505.1.0001f9@corp.example'),
    ('sbc_unable_to_deliver_following',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@sbcglobal.example\n'
     'Subject: failure delivery\n',
     'Message from sbcglobal.example.\n'
     'Unable to deliver message to the following address(es).\n'
     '\n'
     '<f.zaitsev@sbcglobal.example>:\n'
     "This user doesn't have a sbcglobal.example account (f.zaitsev@sbcglobal.example) [0]\n"
     '\n'
     '--- Original message follows.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: f.zaitsev@sbcglobal.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.506.1.0001fa@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('f.zaitsev@sbcglobal.example',), 'postdesk.506.1.0001fa@corp.example'),
    ('earthlink_sorry_unable',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@earthlink.example\n'
     'Subject: Undeliverable message\n',
     'Sorry, unable to deliver your message to g.orlova@earthlink.example for the following reason:\n'
     '\n'
     '552 Quota violation for g.orlova@earthlink.example\n'
     '\n'
     'A copy of the original message below this line:\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: g.orlova@earthlink.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.507.1.0001fb@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('g.orlova@earthlink.example',), 'postdesk.507.1.0001fb@corp.example'),
    ('ademe_could_not_be_delivered_to',
     'Return-Path: <>\n'
     'From: Postmaster <postmaster@ademe.example>\n'
     'Subject: Undeliverable Message\n',
     'A message could not be delivered to:\n'
     '    h.lebedev@ademe.example\n'
     'Subject: [SD-500] Order status\n'
     '\n'
     'Reason: unknown user\n',
     'bounce', ('h.lebedev@ademe.example',), None),
    ('andrew_invalid_final_delivery_userid',
     'Return-Path: <>\n'
     'From: Mail Delivery Subsystem <postmaster@andrew.example>\n'
     'Subject: Returned mail\n',
     'Invalid final delivery userid: i.kozlova@andrew.example\n'
     '\n'
     'Original message follows.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: i.kozlova@andrew.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.509.1.0001fd@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('i.kozlova@andrew.example',), 'postdesk.509.1.0001fd@corp.example'),
    ('e500_failed_recipients_dashes',
     'Return-Path: <>\n'
     'From: E500_SMTP_Mail_Service@lerctr.example\n'
     'Subject: Returned mail\n',
     '------ Failed Recipients ------\n'
     '<j.novikov@lerctr.example>: no such user\n'
     '\n'
     '-------- Returned Mail --------\n'
     'From: Service Desk <service@corp.example>\n'
     'To: j.novikov@lerctr.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.510.1.0001fe@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('j.novikov@lerctr.example',), 'postdesk.510.1.0001fe@corp.example'),
    ('lsmtp_error_for',
     'Return-Path: <>\n'
     'From: LSMTP for Windows <postmaster@lsmtp.example>\n'
     'Subject: Message not delivered\n',
     '--> Error description:\n'
     'Error-For:  k.pavlova@lsmtp.example\n'
     'Error-Code: 550\n'
     'Error-Text: No such user\n'
     '\n'
     'Error-End: One error reported.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: k.pavlova@lsmtp.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.511.1.0001ff@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('k.pavlova@lsmtp.example',), 'postdesk.511.1.0001ff@corp.example'),
    ('dado_encountered_delivery_problems',
     'Return-Path: <>\n'
     'From: Mail Delivery Subsystem <mailer-daemon@dado.example>\n'
     'Subject: Delivery Notification: Delivery has failed\n',
     'Your message has encountered delivery problems\n'
     'to the local recipient(s) listed below.\n'
     '\n'
     'Your message addressed to l.semenov@dado.example could not be delivered.\n'
     'Reason: mailbox unavailable.\n'
     '\n'
     'Your message reads (in part):\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: l.semenov@dado.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.512.1.000200@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('l.semenov@dado.example',), 'postdesk.512.1.000200@corp.example'),
    ('eyou_deliver_program',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@eyou.example\n'
     'Subject: failure notice\n',
     'Hi. This is the deliver program at eyou.example.\n'
     "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
     '\n'
     'm.egorova@eyou.example: mailbox not found\n'
     '\n'
     '--- Below this line is a copy of the message.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: m.egorova@eyou.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.513.1.000201@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('m.egorova@eyou.example',), 'postdesk.513.1.000201@corp.example'),
    ('no_such_user_here',
     'Return-Path: <>\n'
     'From: postmaster@pla.example\n'
     'Subject: Returned mail\n',
     'n.titov@pla.example - no such user here.\n'
     '\n'
     'There is no user by that name at this server.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: n.titov@pla.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.514.1.000202@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('n.titov@pla.example',), 'postdesk.514.1.000202@corp.example'),
    ('failed_recipient_field',
     'Return-Path: <>\n'
     'From: Mail Delivery Subsystem <postmaster@xxxmail.example>\n'
     'Subject: Delivery failure\n',
     'Could not deliver message to the following recipient(s):\n'
     '\n'
     'Failed Recipient: o.belova@xxxmail.example\n'
     'Reason: Remote host said: 550 User unknown\n'
     '\n'
     '   -- The header and top 20 lines of the message follows --\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: o.belova@xxxmail.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.515.1.000203@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('o.belova@xxxmail.example',), 'postdesk.515.1.000203@corp.example'),
    ('uci_not_delivered_following',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@mta1.uci.example\n'
     'Subject: Message not delivered\n',
     'Message not delivered to the following addresses:\n'
     '\n'
     '    p.kuzmin@uci.example  (550 5.1.1 unknown user)\n'
     '\n'
     'Error detail:\n'
     '    host mail.uci.example said 550\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: p.kuzmin@uci.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.516.1.000204@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('p.kuzmin@uci.example',), 'postdesk.516.1.000204@corp.example'),
    ('smail_failed_addresses_follow',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@smail.example\n'
     'Subject: mail failed, returning to sender\n',
     '|------------------------- Failed addresses follow: ---------------------|\n'
     ' q.frolova@smail.example ... unknown user\n'
     '|------------------------- Message text follows: ------------------------|\n'
     'From: Service Desk <service@corp.example>\n'
     'To: q.frolova@smail.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.517.1.000205@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('q.frolova@smail.example',), 'postdesk.517.1.000205@corp.example'),
    ('newmail_machine_generated',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@newmail.example\n'
     'Subject: failure notice\n',
     'This is the machine generated message from mail service.\n'
     'Unable to deliver message to the following address(es).\n'
     '\n'
     '<r.gusev@newmail.example>:\n'
     'User unknown\n'
     '\n'
     '--- Below the next line is a copy of the message.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: r.gusev@newmail.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.518.1.000206@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('r.gusev@newmail.example',), 'postdesk.518.1.000206@corp.example'),
    ('interscan_unable_to_deliver',
     'Return-Path: <>\n'
     'From: Postmaster <postmaster@interscan.example>\n'
     'Subject: Mail could not be delivered\n',
     '****** Message from InterScan E-Mail VirusWall NT ******\n'
     '\n'
     'Unable to deliver message to <s.yakovleva@interscan.example>.\n'
     'Remote host said: 550 user unknown\n'
     '\n'
     '*****************     End of message     ***************\n',
     'bounce', ('s.yakovleva@interscan.example',), None),
    ('mdaemon_did_not_receive_copy',
     'Return-Path: <>\n'
     'From: MDaemon@turbosport.example\n'
     'Subject: Message delivery failure\n',
     'The following addresses did NOT receive a copy of your message:\n'
     '\n'
     '>    t.zhukov@turbosport.example\n'
     '\n'
     '--- Session Transcript ---\n'
     ' 550 t.zhukov@turbosport.example... User unknown\n'
     '--- End Transcript ---\n',
     'bounce', ('t.zhukov@turbosport.example',), None),
    ('list_of_failed_recipients',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@sdm.example\n'
     'Subject: Returned mail\n',
     'Sorry. Your message could not be delivered to:\n'
     '\n'
     'here is your list of failed recipients:\n'
     '<u.vorobyov@sdm.example>  unknown user\n'
     '\n'
     'here is your returned mail.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: u.vorobyov@sdm.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.521.1.000209@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('u.vorobyov@sdm.example',), 'postdesk.521.1.000209@corp.example'),
    ('netscape_undeliverable_reason',
     'Return-Path: <>\n'
     'From: Mail Delivery Subsystem <postmaster@nms.example>\n'
     'Subject: Delivery Notification: Delivery has failed\n',
     'This Message was undeliverable due to the following reason:\n'
     '\n'
     'The following destination addresses were unknown (please check\n'
     'the addresses and re-mail the message):\n'
     '\n'
     'SMTP <v.komarova@nms.example>\n'
     '\n'
     'Please reply to Postmaster@nms.example\n'
     'if you feel this message to be in error.\n',
     'bounce', ('v.komarova@nms.example',), None),
    ('smtp32_delivery_failed',
     'Return-Path: <>\n'
     'From: Mail Delivery Subsystem <postmaster@imail.example>\n'
     'Subject: Undeliverable Mail\n'
     'X-Mailer: <SMTP32 v8.22>\n',
     'Delivery failed 1 attempts: w.medvedev@imail.example\n'
     '\n'
     'Original message follows.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: w.medvedev@imail.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.523.1.00020b@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('w.medvedev@imail.example',), 'postdesk.523.1.00020b@corp.example'),
    ('smtp32_user_mailbox_exceeds',
     'Return-Path: <>\n'
     'From: Mail Delivery Subsystem <postmaster@imail.example>\n'
     'Subject: Undeliverable Mail\n'
     'X-Mailer: <SMTP32 v8.22>\n',
     'User mailbox exceeds allowed size: x.orekhov@imail.example\n'
     '\n'
     'Original message follows.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: x.orekhov@imail.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.524.1.00020c@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('x.orekhov@imail.example',), 'postdesk.524.1.00020c@corp.example'),
    ('exchange55_smtp_on_date',
     'Return-Path: <>\n'
     'From: System Administrator <postmaster@ex55.example>\n'
     'Subject: Undeliverable: [SD-500] Order status\n',
     'Your message\n'
     '\n'
     '  To:      Yana Belkina\n'
     '  Subject: [SD-500] Order status\n'
     '  Sent:    Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'did not reach the following recipient(s):\n'
     '\n'
     'SMTP=y.belkina@ex55.example; on Thu, 19 Feb 2026 12:00:00 +0300\n'
     '    The recipient name is not recognized\n'
     '    The MTS-ID of the original message is: c=us;a= ;p=ex55;l=EX550102190900ABCDEF\n'
     '    MSEXCH:IMS:EX55:SITE:SERVER 0 (000C05A6) Unknown Recipient\n',
     'bounce', ('y.belkina@ex55.example',), None),
    ('exchange55_name_on_date',
     'Return-Path: <>\n'
     'From: System Administrator <postmaster@ex55.example>\n'
     'Subject: Undeliverable: [SD-500] Order status\n',
     'Your message\n'
     '\n'
     '  To:      z.romanov@ex55.example\n'
     '  Subject: [SD-500] Order status\n'
     '\n'
     'did not reach the following recipient(s):\n'
     '\n'
     'z.romanov@ex55.example on Thu, 19 Feb 2026 12:00:00 +0300\n'
     '    The recipient name is not recognized\n'
     '    MSEXCH:IMS:EX55:SITE:SERVER 0 (000C05A6) Unknown Recipient\n',
     'bounce', ('z.romanov@ex55.example',), None),
    ('thehartford_delivery_aborted',
     'Return-Path: <>\n'
     'From: postmaster@hartford.example\n'
     'Subject: Delivery failure\n',
     'Delivery to the following recipients was aborted after 2 second(s):\n'
     '\n'
     '  * aa.kiselev@hartford.example\n'
     '\n'
     'Transcript of session follows ...\n',
     'bounce', ('aa.kiselev@hartford.example',), None),
    ('your_message_because',
     'Return-Path: <>\n'
     'From: postmaster@hartford.example\n'
     'Subject: Delivery failure\n',
     'Your message\n'
     '\n'
     '  Subject: [SD-500] Order status\n'
     '\n'
     'was not delivered to:\n'
     '\n'
     '  bb.makarov@hartford.example\n'
     '\n'
     'because:\n'
     '\n'
     '  User bb.makarov (bb.makarov@hartford.example) not listed in public Name & Address Book\n',
     'bounce', ('bb.makarov@hartford.example',), None),
    ('kundenserver_sent_could_not_be_delivered',
     'Return-Path: <>\n'
     'From: Mail Delivery System <MAILER-DAEMON@kundenserver.example>\n'
     'Subject: Mail delivery failed: returning message to sender\n',
     'This message was created automatically by mail delivery software.\n'
     '\n'
     'A message that you sent could not be delivered to one or more of\n'
     'its recipients. This is a permanent error. The following address(es)\n'
     'failed:\n'
     '\n'
     'cc.alekseev@kundenserver.example:\n'
     '    SMTP error from remote server after RCPT command:\n'
     '    host mx.kundenserver.example[198.51.100.99]:\n'
     '    550 5.1.1 <cc.alekseev@kundenserver.example>: Recipient address rejected\n'
     '\n'
     '--- The header of the original message is following. ---\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: cc.alekseev@kundenserver.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.529.1.000211@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('cc.alekseev@kundenserver.example',), 'postdesk.529.1.000211@corp.example'),
    ('qmail_trilingual_spanish',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@correo.example\n'
     'Subject: failure notice\n',
     'Hola. Este es el programa qmail-send de correo.example.\n'
     'Su mensaje no pudo ser entregado.\n'
     'Your message could not be delivered.\n'
     '\n'
     '<dd.ruiz@correo.example>:\n'
     'El usuario no existe / User does not exist\n'
     '\n'
     '- Copia del mensaje / Copy of the message\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: dd.ruiz@correo.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.530.1.000212@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('dd.ruiz@correo.example',), 'postdesk.530.1.000212@corp.example'),
    ('socgen_could_not_be_delivered_to',
     'Return-Path: <>\n'
     'From: postmaster@socgen.example\n'
     'Subject: Non delivery report\n',
     'Your message could not be delivered to ee.dupont@socgen.example\n'
     'because the recipient is unknown.\n'
     '\n',
     'bounce', ('ee.dupont@socgen.example',), None),
    ('gomaps_did_not_reach',
     'Return-Path: <>\n'
     'From: postmaster@gomaps.example\n'
     'Subject: Undeliverable\n',
     'Your message\n'
     '\n'
     'Did not reach the following recipient(s):\n'
     ' ff.gray@gomaps.example on 19 Feb 2026 12:00\n'
     '    The recipient name is not recognized\n',
     'bounce', ('ff.gray@gomaps.example',), None),
    ('ieo_email_server_at',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@ieo.example\n'
     'Subject: failure notice\n',
     'Hi. This is the email server at ieo.example.\n'
     'I could not deliver your message to gg.rossi@ieo.example, the mailbox is full.\n'
     '\n'
     '- Below is a copy of the message.\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: gg.rossi@ieo.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.533.1.000215@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('gg.rossi@ieo.example',), 'postdesk.533.1.000215@corp.example'),
    ('mxlogic_following_address_failed',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@mxlogic.example\n'
     'Subject: Undeliverable mail\n',
     'The following address failed:\n'
     '\n'
     '  <hh.green@mxlogic.example>  550 5.1.1 unknown user\n'
     '\n'
     'Included is a copy of the message header:\n'
     '\n'
     'From: Service Desk <service@corp.example>\n'
     'To: hh.green@mxlogic.example\n'
     'Subject: [SD-500] Order status\n'
     'Message-ID: <postdesk.534.1.000216@corp.example>\n'
     'Date: Thu, 19 Feb 2026 11:59:00 +0300\n'
     '\n'
     'Your order is ready.\n',
     'bounce', ('hh.green@mxlogic.example',), 'postdesk.534.1.000216@corp.example'),
    ('fastdns_recipients_could_not_be_reached',
     'Return-Path: <>\n'
     'From: postmaster@fastdns.example\n'
     'Subject: Undeliverable Mail\n',
     'The following recipient(s) could not be reached:\n'
     '\n'
     'ii.black@fastdns.example\n'
     '   Error Type: SMTP\n'
     '   Remote server replied: 550 No such user\n',
     'bounce', ('ii.black@fastdns.example',), None),
    ('exchange_ru_delay',
     'Return-Path: <>\n'
     'From: Microsoft Outlook <postmaster@ru-partner.example>\n'
     'Subject: Задержка доставки: [SD-600] Пропуск\n',
     'Доставка этим получателям или группам задерживается:\n'
     '\n'
     'ivanov@ru-partner.example (ivanov@ru-partner.example)\n'
     '\n'
     'Тема: [SD-600] Пропуск\n'
     '\n'
     'Это сообщение еще не доставлено. Попытки доставки будут продолжены.\n'
     '\n'
     'Сервер будет пытаться доставить это сообщение в течение 1 дн. 19 ч. 53 мин. Вы получите уведомление, '
     'если сообщение не удастся доставить за это время.\n',
     'bounce', (), None),
    ('yandex_delay_ru',
     'Return-Path: <>\n'
     'From: mailer-daemon@yandex.ru\n'
     'Subject: Письмо пока не доставлено\n',
     'Здравствуйте!\n'
     '\n'
     'Ваше письмо пока не удалось доставить получателю petrova@slow.example. Мы продолжим попытки доставки '
     'в течение 5 суток и сообщим, если письмо не будет доставлено.\n'
     '\n'
     '--\n'
     'Яндекс Почта\n',
     'bounce', (), None),
    ('usergate_blocked_ru',
     'Return-Path: <>\n'
     'From: UserGate <usergate@ug-partner.example>\n'
     'Subject: Письмо заблокировано: [SD-600] Пропуск\n',
     'Письмо заблокировано правилом фильтрации почты «Вложения exe».\n'
     '\n'
     'Отправитель: service@corp.example\n'
     'Получатель: smirnov@ug-partner.example\n'
     'Тема: [SD-600] Пропуск\n'
     '\n'
     'Если вы считаете, что письмо заблокировано по ошибке, обратитесь к администратору: admin@ug-partner.example\n',
     'bounce', ('smirnov@ug-partner.example',), None),
    ('ksmg_ru',
     'Return-Path: <>\n'
     'From: Kaspersky Secure Mail Gateway <ksmg@ks-partner.example>\n'
     'Subject: Сообщение не доставлено: [SD-600] Пропуск\n',
     'Kaspersky Secure Mail Gateway не доставил сообщение получателям.\n'
     '\n'
     'Причина: сообщение содержит вредоносный объект.\n'
     'Получатели: orlov@ks-partner.example, belova@ks-partner.example\n'
     '\n'
     'Обратитесь к администратору безопасности: soc@ks-partner.example\n',
     'bounce', ('orlov@ks-partner.example', 'belova@ks-partner.example'), None),
    ('zimbra_ru_quota',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@zimbra.ru-med.example\n'
     'Subject: Недоставленное сообщение\n',
     'Это почтовая система на узле zimbra.ru-med.example.\n'
     '\n'
     'К сожалению, ваше сообщение не может быть доставлено одному или нескольким получателям.\n'
     '\n'
     '<glavvrach@ru-med.example>: почтовый ящик переполнен (552 5.2.2 Over quota)\n'
     '\n'
     '--- Исходное сообщение ---\n'
     'From: Service Desk <service@corp.example>\n'
     'To: glavvrach@ru-med.example\n'
     'Subject: [SD-600] Пропуск\n'
     'Message-ID: <postdesk.600.1.aaaaaa@corp.example>\n'
     '\n'
     'Пропуск готов.\n',
     'bounce', ('glavvrach@ru-med.example',), None),
    ('communigate_ru',
     'Return-Path: <>\n'
     'From: �������������� ���������������������������� ���������������������� <MAILER-DAEMON@cgp-ru.example>\n'
     'Subject: Недоставленное письмо: [SD-600] Пропуск\n',
     "Не удалось доставить письмо адресату '<sidorov@cgp-ru.example>'\n"
     'Модуль SMTP(cgp-ru.example) сообщает:\n'
     ' mx.cgp-ru.example сообщает:\n'
     ' 550 5.1.1 Пользователь не найден\n',
     'bounce', ('sidorov@cgp-ru.example',), None),
    ('gateway_ru_plain_ordinary',
     'Return-Path: <gateway@romashka-ru.example>\n'
     'From: ���������������� �������� ������ �������������� <gateway@romashka-ru.example>\n'
     'Subject: Ошибка доставки\n',
     'Уважаемый отправитель!\n'
     '\n'
     'Ваше письмо не доставлено адресату kuznetsova@romashka-ru.example,\n'
     'так как почтовый ящик адресата заблокирован.\n'
     '\n'
     'Отдел ИТ ООО «Ромашка»\n',
     'bounce', ('kuznetsova@romashka-ru.example',), None),
    ('oof_ru_no_headers',
     'Return-Path: <n.gromov@partner-ru.example>\n'
     'From: �������������� ������������ <n.gromov@partner-ru.example>\n'
     'Subject: Re: [SD-600] Пропуск\n',
     'Добрый день!\n'
     '\n'
     'Я в отпуске до 10 марта, доступ к почте ограничен. По срочным вопросам обращайтесь к Марине Ивановой '
     '(m.ivanova@partner-ru.example).\n'
     '\n'
     'С уважением,\n'
     'Николай Громов\n',
     'auto-reply', (), None),
    ('oof_ru_komandirovka',
     'Return-Path: <i.sokolova@partner-ru.example>\n'
     'From: ���������� ���������������� <i.sokolova@partner-ru.example>\n'
     'Subject: Re: [SD-600] Пропуск\n',
     'Здравствуйте! Я в командировке до 25.02 и вернусь 26.02. В моё отсутствие по всем вопросам обращайтес'
     'ь к Петрову.\n',
     'auto-reply', (), None),
    ('human_ru_vacation_problem',
     'Return-Path: <i.sokolova@corp.example>\n'
     'From: ���������� ���������������� <i.sokolova@corp.example>\n'
     'Subject: Не работает почта на телефоне\n',
     'Добрый день! Я в отпуске до 25.02, вернусь 26.02. На телефоне перестала приходить почта, вчера ещё ра'
     'ботала. Посмотрите, пожалуйста.\n',
     None, (), None),
    ('human_ru_vacation_handover',
     'Return-Path: <i.sokolova@corp.example>\n'
     'From: ���������� ���������������� <i.sokolova@corp.example>\n'
     'Subject: Отпуск с 1 марта\n',
     'Коллеги, я в отпуске с 1 по 14 марта, вернусь 15-го. В моё отсутствие заявки по складу передайте, пож'
     'алуйста, Петрову — добавьте его в очередь «Склад».\n',
     None, (), None),
    ('human_ru_pochta_ne_dostavlena',
     'Return-Path: <o.smirnov@corp.example>\n'
     'From: �������� �������������� <o.smirnov@corp.example>\n'
     'Subject: Письмо не доставлено\n',
     'Добрый день. Письмо не доставлено клиенту, адрес kotova@client-ru.example. Вернулось с ошибкой 550. Ч'
     'то не так?\n',
     None, (), None),
    ('mail_delivery_failed_topic_ru',
     'Return-Path: <x@corp.example>\n'
     'From: Игорь Белов <i.belov@corp.example>\n'
     'Subject: Ошибка доставки почты\n',
     'Добрый день.\n'
     '\n'
     'С утра письма на адрес sales@partner.example возвращаются с ошибкой доставки.\n'
     'Причина в уведомлении: 550 5.1.1 User unknown.\n'
     '\n'
     'Игорь Белов\n',
     None, (), None),
    ('oof_reply_and_question_ru',
     'Return-Path: <x@corp.example>\n'
     'From: Ольга Зайцева <o.zaitseva@partner.example>\n'
     'Subject: Re: [SD-12] Доступ\n',
     'Здравствуйте! Я в отпуске до 2 марта, но посмотрела письмо: доступ так и не появился. По срочным вопр'
     'осам пишите Петрову. Когда сможете проверить?\n',
     None, (), None),
    ('person_bilingual_undeliverable_ru',
     'Return-Path: <x@corp.example>\n'
     'From: Дмитрий Павлов <d.pavlov@corp.example>\n'
     'Subject: Недоставленное сообщение\n',
     'Коллеги, добрый день.\n'
     '\n'
     'Письмо клиенту не доходит, приходит «Недоставленное сообщение». Адрес: ivanova@client.example. Провер'
     'ьте, пожалуйста.\n',
     None, (), None),
    ('person_forward_inline_mailer_daemon_ru',
     'Return-Path: <x@corp.example>\n'
     'From: Юлия Ким <y.kim@corp.example>\n'
     'Subject: Пересл.: Undelivered Mail Returned to Sender\n',
     'Что это значит?\n'
     '\n'
     '-------- Пересылаемое сообщение --------\n'
     'От: Mail Delivery System <MAILER-DAEMON@mx1.corp.example>\n'
     'Дата: 19.02.2026 09:10\n'
     'Тема: Undelivered Mail Returned to Sender\n'
     '\n'
     'This is the mail system at host mx1.corp.example.\n'
     '\n'
     "I'm sorry to have to inform you that your message could not\n"
     'be delivered to one or more recipients.\n'
     '\n'
     '<ivanova@client.example>: host mx.client.example said: 550 5.1.1 User unknown\n',
     None, (), None),
    ('person_html_only_bounce_words',
     'Return-Path: <x@corp.example>\n'
     'From: Petr Sidorov <p.sidorov@corp.example>\n'
     'Subject: Undeliverable\n',
     '<html><body><p>Hello,</p><p>I keep getting <b>Undeliverable</b> messages when writing to <a href="mai'
     'lto:info@client.example">info@client.example</a>.</p><p>Could you check?</p><p>Petr</p></body></html>\n',
     None, (), None),
    ('person_postmaster_display',
     'Return-Path: <x@corp.example>\n'
     'From: Postmaster Team <postmaster-team@corp.example>\n'
     'Subject: Returned mail: please review\n',
     'Hello desk,\n'
     '\n'
     'we reviewed the returned mail from last week. 12 messages were rejected by partner.example because of SPF.\n'
     'Please open a ticket for the DNS team to fix our SPF record.\n'
     '\n'
     'Thanks,\n'
     'Postmaster Team\n',
     None, (), None),
    ('person_quota_self_en',
     'Return-Path: <x@corp.example>\n'
     'From: Lena Fox <l.fox@corp.example>\n'
     'Subject: Mailbox full\n',
     'My mailbox is full and I cannot send anything. Please increase the quota to 100 GB.\n'
     '\n'
     'Lena\n',
     None, (), None),
    ('person_read_receipt_question',
     'Return-Path: <x@corp.example>\n'
     'From: Tom Hall <t.hall@corp.example>\n'
     'Subject: Read: receipts\n',
     "Hi, how do I turn off the read receipts? Every mail I open sends 'Read: ...' to the sender.\n",
     None, (), None),
    ('person_subject_auto_reply_words_ru',
     'Return-Path: <x@corp.example>\n'
     'From: Анна Петрова <a.petrova@corp.example>\n'
     'Subject: Автоматический ответ не отключается\n',
     'Добрый день! Вернулась из отпуска, а автоматический ответ продолжает отправляться всем. Отключите, по'
     'жалуйста.\n',
     None, (), None),
    ('person_writes_delivery_has_failed_en',
     'Return-Path: <x@corp.example>\n'
     'From: Kate Moss <k.moss@corp.example>\n'
     'Subject: Delivery has failed to these recipients\n',
     'Delivery has failed to these recipients or groups: orders@supplier.example\n'
     '\n'
     'This keeps coming back since Monday. Is our server blacklisted?\n',
     None, (), None),
    ('site_form_noreply_generated_ru',
     'Return-Path: <x@corp.example>\n'
     'From: �������� <noreply@corp-site.example>\n'
     'Reply-To: s.kotov@client.example\n'
     'Subject: Новая заявка с сайта\n',
     'Новая заявка с формы обратной связи.\n'
     '\n'
     'Имя: Сергей Котов\n'
     'Телефон: +7 900 000-00-00\n'
     'Сообщение: не могу войти в личный кабинет, пишет «неверный пароль», хотя пароль верный.\n'
     '\n'
     'Это письмо сформировано автоматически, не отвечайте на него.\n',
     None, (), None),
    ('vacation_but_problem_en',
     'Return-Path: <x@corp.example>\n'
     'From: Mark Lee <m.lee@corp.example>\n'
     'Subject: Laptop\n',
     'Hi team,\n'
     '\n'
     'I am on leave and will be back on Monday. My laptop would not boot this morning - it shows a black sc'
     'reen after the logo.\n'
     'Thank you for your email yesterday about the update, I think that is the cause.\n'
     '\n'
     'Mark\n',
     None, (), None),
    # out-of-office replies with no header in other languages, departed employees, other helpdesks' acks
    ('de_oof_noheader',
     'Return-Path: <k.becker@partner.de>\n'
     'From: Klaus Becker <k.becker@partner.de>\n'
     'Subject: Re: [SD-700] Lieferung\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Vielen Dank für Ihre Nachricht.\n'
     '\n'
     'Ich bin bis einschließlich 2. März nicht im Büro und habe keinen Zugriff auf meine E-Mails. In dringe'
     'nden Fällen wenden Sie sich bitte an Frau Schmidt (schmidt@partner.de).\n'
     '\n'
     'Mit freundlichen Grüßen\n'
     'Klaus Becker\n',
     'auto-reply', (), None),
    ('fr_oof_noheader',
     'Return-Path: <m.dupont@partner.fr>\n'
     'From: Marie Dupont <m.dupont@partner.fr>\n'
     'Subject: Re: [SD-700] Livraison\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Bonjour,\n'
     '\n'
     "Je suis absente du bureau jusqu'au 2 mars inclus, avec un accès limité à mes e-mails. Pour toute dema"
     'nde urgente, merci de contacter Paul Martin.\n'
     '\n'
     'Cordialement,\n'
     'Marie Dupont\n',
     'auto-reply', (), None),
    ('es_oof_noheader',
     'Return-Path: <j.garcia@partner.es>\n'
     'From: Juan Garc��a <j.garcia@partner.es>\n'
     'Subject: Re: [SD-700] Entrega\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Gracias por su mensaje.\n'
     '\n'
     'Estoy fuera de la oficina hasta el 2 de marzo. Para asuntos urgentes, contacte con Ana López.\n'
     '\n'
     'Saludos,\n'
     'Juan García\n',
     'auto-reply', (), None),
    ('uk_oof_noheader',
     'Return-Path: <o.koval@partner.ua>\n'
     'From: ���������� ������������ <o.koval@partner.ua>\n'
     'Subject: Re: [SD-700] Доставка\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Доброго дня!\n'
     '\n'
     'Я у відпустці до 2 березня. З термінових питань звертайтеся до Петра Шевченка.\n'
     '\n'
     'З повагою,\n'
     'Олена Коваль\n',
     'auto-reply', (), None),
    ('ru_oof_bolnichny',
     'Return-Path: <s.losev@partner.ru>\n'
     'From: ������������ ���������� <s.losev@partner.ru>\n'
     'Subject: Re: [SD-700] Доставка\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Здравствуйте! Я на больничном до 27 февраля. По срочным вопросам обращайтесь к Анне Ивановой, a.ivano'
     'va@partner.ru.\n',
     'auto-reply', (), None),
    ('en_oof_parental',
     'Return-Path: <a.stone@partner.example>\n'
     'From: Amy Stone <a.stone@partner.example>\n'
     'Subject: Re: [SD-700] Delivery\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Hello,\n'
     '\n'
     "I'm on parental leave until September 2026. In my absence please contact my colleague John Carter (j."
     'carter@partner.example).\n'
     '\n'
     'Best,\n'
     'Amy\n',
     'auto-reply', (), None),
    ('en_oof_no_longer',
     'Return-Path: <b.hill@partner.example>\n'
     'From: Bob Hill <b.hill@partner.example>\n'
     'Subject: Re: [SD-700] Delivery\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Thank you for your message. Please note that I no longer work at Partner Ltd. Your email will not be '
     'forwarded. For all enquiries please contact info@partner.example.\n',
     'auto-reply', (), None),
    ('ru_no_longer_works',
     'Return-Path: <v.kim@partner.ru>\n'
     'From: ������������ ������ <v.kim@partner.ru>\n'
     'Subject: Re: [SD-700] Доставка\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Здравствуйте! Я больше не работаю в компании «Партнёр». Ваше письмо не будет переслано. По всем вопро'
     'сам пишите на info@partner.ru.\n',
     'auto-reply', (), None),
    ('zendesk_ack',
     'Return-Path: <support@partner.zendesk.example>\n'
     'From: Partner Support <support@partner.zendesk.example>\n'
     'Subject: [Partner Support] Re: [SD-700] Delivery\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     '##- Please type your reply above this line -##\n'
     '\n'
     'Your request (12345) has been received and is being reviewed by our support staff.\n'
     '\n'
     'To add additional comments, reply to this email.\n',
     'auto-reply', (), None),
    ('jira_sm_ack',
     'Return-Path: <jira@partner.atlassian.example>\n'
     'From: Partner Service Desk <jira@partner.atlassian.example>\n'
     'Subject: SUP-4512 Re: [SD-700] Delivery\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     '—-—-—-—\n'
     'Reply above this line.\n'
     '\n'
     "Your request SUP-4512 has been received. We'll get back to you soon.\n"
     '\n'
     "View request · Turn off this request's notifications\n",
     'auto-reply', (), None),
    ('osticket_ack',
     'Return-Path: <help@partner.example>\n'
     'From: Partner Helpdesk <help@partner.example>\n'
     'Subject: Support Ticket Opened [#473821]\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Dear Service Desk,\n'
     '\n'
     'A request for support has been created and assigned ticket #473821. A representative will follow-up w'
     'ith you as soon as possible.\n'
     '\n'
     "You can view this ticket's progress online here: https://help.partner.example/view.php?t=473821\n",
     'auto-reply', (), None),
    ('otrs_ack_ru',
     'Return-Path: <otrs@partner.ru>\n'
     'From: ������������������ �������������� <otrs@partner.ru>\n'
     'Subject: [Ticket#2026021910000123] RE: [SD-700] Доставка\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Здравствуйте!\n'
     '\n'
     'Ваше обращение получено и зарегистрировано под номером 2026021910000123. Мы ответим вам в ближайшее время.\n'
     '\n'
     'С уважением,\n'
     'Служба поддержки\n',
     'auto-reply', (), None),
    ('freshdesk_ack',
     'Return-Path: <support@partner.freshdesk.example>\n'
     'From: Partner Help <support@partner.freshdesk.example>\n'
     'Subject: Ticket Received - Re: [SD-700] Delivery\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Dear Service Desk,\n'
     '\n'
     'We would like to acknowledge that we have received your request and a ticket has been created with Ti'
     'cket ID - 9876.\n'
     'A support representative will be reviewing your request and will send you a personal response (usuall'
     'y within 24 hours).\n',
     'auto-reply', (), None),
    ('human_de_back_question',
     'Return-Path: <k.becker@partner.de>\n'
     'From: Klaus Becker <k.becker@partner.de>\n'
     'Subject: Re: [SD-700] Lieferung\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Hallo,\n'
     '\n'
     'ich bin wieder im Büro. Die Lieferung ist leider noch nicht angekommen - können Sie bitte nachsehen?\n'
     '\n'
     'Gruß\n'
     'Klaus\n',
     None, (), None),
    ('human_no_longer_need',
     'Return-Path: <b.hill@corp.example>\n'
     'From: Bob Hill <b.hill@corp.example>\n'
     'Subject: Old laptop\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Hi, I no longer need my old laptop, the new one works fine. Please collect it from room 4.12.\n',
     None, (), None),
    ('human_ticket_number_question',
     'Return-Path: <o.kim@corp.example>\n'
     'From: Olga Kim <o.kim@corp.example>\n'
     'Subject: Заявка №4512 — статус?\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Добрый день! Моя заявка №4512 зарегистрирована неделю назад, но никто не связался. Подскажите, когда '
     'будет ответ?\n',
     None, (), None),
    # partners' replies that mention their leave or confirm a registration: people (the rules' edges)
    ('partner_ack_ru',
     'Return-Path: <p.ivanov@partner.ru>\n'
     'From: �������� ������������ <p.ivanov@partner.ru>\n'
     'Subject: Re: [SD-700] Заявка\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Добрый день! Ваше письмо получено, заявка №4512 зарегистрирована у нас, передали в отдел логистики.\n'
     '\n'
     'Пётр\n',
     None, (), None),
    ('partner_en_received',
     'Return-Path: <j.smith@partner.example>\n'
     'From: John Smith <j.smith@partner.example>\n'
     'Subject: Re: [SD-700] Invoice\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Hi, your invoice 45123 has been received and passed to accounting. Payment is scheduled for Friday.\n'
     '\n'
     'John\n',
     None, (), None),
    ('partner_info_vacation',
     'Return-Path: <a.roth@partner.example>\n'
     'From: Anna Roth <a.roth@partner.example>\n'
     'Subject: Re: [SD-700] Act of work\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Thanks for the update. I am on vacation until 2 March; in my absence please contact Olga, she can sig'
     'n the act.\n'
     '\n'
     'Anna\n',
     None, (), None),
    ('partner_no_longer',
     'Return-Path: <b.hill@partner.example>\n'
     'From: Bob Hill <b.hill@partner.example>\n'
     'Subject: Re: [SD-700] Contract\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Hi, I no longer work with this contract - it was handed to Mary Fox (m.fox@partner.example). For all '
     'questions about it please write to her.\n'
     '\n'
     'Bob\n',
     None, (), None),
    ('partner_ru_info_otpusk',
     'Return-Path: <a.roth@partner.ru>\n'
     'From: �������� ������ <a.roth@partner.ru>\n'
     'Subject: Re: [SD-700] Акт\n'
     'In-Reply-To: <postdesk.700.1.abcdef@corp.example>\n',
     'Спасибо, получила. Я в отпуске до 2 марта, акт подпишет Ольга — в моё отсутствие обращайтесь к ней.\n',
     None, (), None),
    # gateways' notices in de, fr, es, it, pt, pl, ja, zh, uk, kk+ru
    ('de_unzustellbar',
     'Return-Path: <>\n'
     'From: Mail Delivery System <MAILER-DAEMON@mx.firma.de>\n'
     'Subject: Unzustellbar: [SD-800] Rechnung\n',
     'Ihre Nachricht konnte nicht zugestellt werden.\n'
     '\n'
     'Empfänger: k.mueller@firma.de\n'
     'Grund: 550 5.1.1 Benutzer unbekannt\n',
     'bounce', ('k.mueller@firma.de',), None),
    ('fr_non_remis',
     'Return-Path: <>\n'
     'From: Postmaster <postmaster@societe.fr>\n'
     'Subject: Non remis : [SD-800] Facture\n',
     "Votre message n'a pas pu être remis aux destinataires suivants :\n"
     '\n'
     'j.durand@societe.fr\n'
     'Le destinataire est introuvable.\n',
     'bounce', ('j.durand@societe.fr',), None),
    ('es_no_entregado',
     'Return-Path: <>\n'
     'From: Administrador del sistema <postmaster@empresa.es>\n'
     'Subject: No se puede entregar: [SD-800] Factura\n',
     'No se pudo entregar el mensaje a los siguientes destinatarios:\n'
     '\n'
     'm.lopez@empresa.es\n'
     'El buzón está lleno.\n',
     'bounce', ('m.lopez@empresa.es',), None),
    ('it_non_recapitabile',
     'Return-Path: <>\n'
     'From: Mail Delivery System <MAILER-DAEMON@azienda.it>\n'
     'Subject: Messaggio non recapitabile\n',
     'Il messaggio non è stato recapitato ai seguenti destinatari:\n'
     '\n'
     '<g.rossi@azienda.it>: utente sconosciuto\n',
     'bounce', ('g.rossi@azienda.it',), None),
    ('pt_nao_entregue',
     'Return-Path: <>\n'
     'From: Sistema de correio <mailer-daemon@empresa.com.br>\n'
     'Subject: Mensagem não entregue\n',
     'Não foi possível entregar a sua mensagem para:\n'
     '\n'
     'r.silva@empresa.com.br\n'
     'Motivo: caixa postal inexistente\n',
     'bounce', ('r.silva@empresa.com.br',), None),
    ('pl_niedostarczona',
     'Return-Path: <>\n'
     'From: Mail Delivery System <MAILER-DAEMON@firma.pl>\n'
     'Subject: Wiadomość niedostarczona\n',
     'Nie udało się dostarczyć wiadomości do następujących odbiorców:\n'
     '\n'
     'j.kowalski@firma.pl\n'
     'Powód: 550 nie ma takiego użytkownika\n',
     'bounce', ('j.kowalski@firma.pl',), None),
    ('ja_bounce',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON <MAILER-DAEMON@mail.kaisha.co.jp>\n'
     'Subject: 配信エラー: [SD-800] 請求書\n',
     '次の宛先へのメール配信に失敗しました。\n'
     '\n'
     '宛先: tanaka@kaisha.co.jp\n'
     '理由: 550 5.1.1 User unknown\n',
     'bounce', ('tanaka@kaisha.co.jp',), None),
    ('zh_bounce',
     'Return-Path: <>\n'
     'From: 系统退信 <postmaster@gongsi.cn>\n'
     'Subject: 系统退信\n',
     '抱歉，您的邮件被退回来了。\n'
     '\n'
     '收件人: wang@gongsi.cn\n'
     '退信原因: 收件人不存在 (550 Mailbox not found)\n',
     'bounce', ('wang@gongsi.cn',), None),
    ('uk_ne_dostavleno',
     'Return-Path: <>\n'
     'From: Поштова система <mailer-daemon@firma.ua>\n'
     'Subject: Лист не доставлено\n',
     'Не вдалося доставити лист таким одержувачам:\n'
     '\n'
     'petrenko@firma.ua\n'
     'Причина: скриньку не знайдено.\n',
     'bounce', ('petrenko@firma.ua',), None),
    ('kz_gateway',
     'Return-Path: <>\n'
     'From: Пошта жүйесі <postmaster@kompania.kz>\n'
     'Subject: Недоставленное сообщение / Жеткізілмеген хабарлама\n',
     'Сообщение не доставлено получателю:\n'
     '\n'
     'sapar@kompania.kz\n'
     '\n'
     'Хабарлама алушыға жеткізілмеді.\n',
     'bounce', ('sapar@kompania.kz',), None),
    # help text in de, fr, es names whom to ask, not who failed
    ('de_help_text_wenden_sie_sich',
     'Return-Path: <>\n'
     'From: MAILER-DAEMON@mx.firma.de\n'
     'Subject: Unzustellbar\n',
     'Ihre Nachricht an k.mueller@firma.de konnte nicht zugestellt werden.\n'
     'Grund: Benutzer unbekannt.\n'
     '\n'
     'Bei Fragen wenden Sie sich an it-betrieb@firma.de.\n',
     'bounce', ('k.mueller@firma.de',), None),
    ('fr_help_text_veuillez_ecrire',
     'Return-Path: <>\n'
     'From: postmaster@societe.fr\n'
     'Subject: Non remis\n',
     "Votre message à j.durand@societe.fr n'a pas pu être remis.\n"
     'Pour toute question, veuillez écrire à informatique@societe.fr.\n',
     'bounce', ('j.durand@societe.fr',), None),
    ('es_help_text_para_consultas',
     'Return-Path: <>\n'
     'From: postmaster@empresa.es\n'
     'Subject: No se puede entregar\n',
     'Su mensaje a m.lopez@empresa.es no pudo ser entregado.\n'
     'Para consultas, escriba a sistemas@empresa.es.\n',
     'bounce', ('m.lopez@empresa.es',), None),
    # Exchange names the failed recipient of a two-recipient mail by display name only
    ('exchange2003_display_name_of_two',
     'Return-Path: <>\n'
     'From: System Administrator <postmaster@ex.partner.example>\n'
     'Subject: Undeliverable: [SD-900] Meeting\n',
     'Your message\n'
     '\n'
     '  To:      Ivanov Ivan; Petrova Anna\n'
     '  Subject: [SD-900] Meeting\n'
     '  Sent:    19.02.2026 10:00\n'
     '\n'
     'did not reach the following recipient(s):\n'
     '\n'
     'Petrova Anna on 19.02.2026 10:01\n'
     '    The e-mail account does not exist at the organization this message was sent to.\n'
     '    <ex.partner.example #5.1.1>\n'
     '\n'
     '________________________________________\n'
     'From: Service Desk <service@corp.example>\n'
     'Sent: 19.02.2026 10:00\n'
     'To: Ivanov Ivan <ivanov@partner.example>; Petrova Anna <petrova@partner.example>\n'
     'Subject: [SD-900] Meeting\n',
     'bounce', ('petrova@partner.example',), None),
    ('human_my_mail_did_not_reach',
     'Return-Path: <k.orlova@partner.example>\n'
     'From: Kira Orlova <k.orlova@partner.example>\n'
     'Subject: Mail problem\n',
     'Hello, my mail did not reach the following recipient:\n'
     '\n'
     'service@corp.example\n'
     '\n'
     'Is your server down? Kira\n',
     None, (), None),
    # a plain part that names nobody beside an HTML part that names the recipient
    ('plain_names_nobody_html_does',
     'Return-Path: <>\n'
     'From: postmaster@p.example\n'
     'Subject: Undeliverable: y\n',
     'Delivery failed.\n',
     'bounce', ('e5@p.example',), None),
)


HTML_TOO = {"plain_names_nobody_html_does": '<p>Delivery has failed to these recipients:</p><p><a href="mailto:'
                                            'e5@p.example">e5@p.example</a></p>'}


def _field(line: str) -> str:
    """One header line as a client writes it: non-ASCII text as an RFC 2047 word (a display name apart from its
    address)."""
    key, _, value = line.partition(": ")
    if value.isascii():
        return line
    name, sep, addr = value.rpartition(" <") if key in ("From", "Reply-To") and value.endswith(">") else ("", "", "")
    if sep:
        return f"{key}: {Header(name, 'utf-8').encode()} <{addr}"
    return f"{key}: {Header(value, 'utf-8').encode()}"


@pytest.mark.parametrize(("name", "head", "body", "kind", "failed", "original"), PROBES, ids=[p[0] for p in PROBES])
def test_probe(name: str, head: str, body: str, kind: str | None, failed: tuple[str, ...],
               original: str | None) -> None:
    lines = [_field(line) for line in head.splitlines()]
    lines += ["To: service@corp.example", f"Message-ID: <{name}@probe.example>", "MIME-Version: 1.0"]
    if name in HTML_TOO:  # the body is the plain alternative; the HTML one beside it says more
        lines.append('Content-Type: multipart/alternative; boundary="b"')
        body = (f"--b\nContent-Type: text/plain; charset=utf-8\n\n{body}--b\nContent-Type: text/html; "
                f"charset=utf-8\n\n{HTML_TOO[name]}\n--b--\n")
    else:
        lines += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    raw = ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()
    m = parse_mail(raw, OPTIONS)
    assert (m.auto.kind if m.auto else None) == kind, m.auto
    assert sorted(m.bounced_recipients) == sorted(failed)
    if original:
        assert original in m.original_message_ids
