;; Pronunciation fixes for Festival's Italian voices (lp_diphone, pc_diphone), loaded by render.sh after the voice.
;; The text of a call stays as written; only how the voice says a word changes.
;; "rimborso": the short m before b came out as n ("rinborso", "rinvorso" in the transcripts); a longer m is heard.
(lex.add.entry '("rimborso" nil (((r i m) 0) ((m b o1 r) 1) ((s o) 0))))
