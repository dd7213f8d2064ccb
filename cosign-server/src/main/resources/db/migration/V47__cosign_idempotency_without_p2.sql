-- Stored enrol/keys answers held the KeyGenResponse (P2, π2, P) for 7 days; P2 = [d2^-1]G helped test
-- PIN guesses offline against a PIN-only masked store (issue 15). Answers are now stored with key ids
-- only and rebuilt from the sealed share for the enrolling session; this scrubs the rows already there.

UPDATE cosign_idempotency
   SET response = ((response::jsonb #- '{sign,response}') #- '{enc,response}')::text
 WHERE operation = 'enrol/keys' AND state = 'DONE';
