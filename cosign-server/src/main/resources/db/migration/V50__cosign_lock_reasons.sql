-- Issue 15 item 5: lock reasons now live on the key rows (keystore V7, ks_keys.lock_reasons). V7 guessed
-- OPERATOR for every LOCKED key the PIN counter did not lock; the per-device reasons cosign kept here
-- correct that: a USER lock is the trader's (TRADER), an OPERATOR lock on a PIN-locked device is kept as
-- a second reason. cosign_key_locks is no longer read after this.

UPDATE ks_keys k SET lock_reasons = array_append(array_remove(k.lock_reasons, 'OPERATOR'), 'TRADER')
  FROM cosign_key_locks l
 WHERE l.account = k.account AND l.device = k.device AND l.reason = 'USER' AND k.state = 'LOCKED'
   AND NOT 'TRADER' = ANY (k.lock_reasons);

UPDATE ks_keys k SET lock_reasons = array_append(k.lock_reasons, 'OPERATOR')
  FROM cosign_key_locks l
 WHERE l.account = k.account AND l.device = k.device AND l.reason = 'OPERATOR' AND k.state = 'LOCKED'
   AND NOT 'OPERATOR' = ANY (k.lock_reasons);
