-- Temporary redirect links (/api/temp_url → /goto?c=) are codes too: the purpose check
-- admits 'temp_url'. The old check is found by what it checks, whatever it was named.

DO $$
DECLARE
    old_check TEXT;
BEGIN
    FOR old_check IN
        SELECT conname FROM pg_constraint
        WHERE conrelid = 'api_codes'::regclass
          AND contype = 'c'
          AND pg_get_constraintdef(oid) LIKE '%purpose%'
    LOOP
        EXECUTE format('ALTER TABLE api_codes DROP CONSTRAINT %I', old_check);
    END LOOP;
END $$;
ALTER TABLE api_codes ADD CONSTRAINT api_codes_purpose_check
    CHECK (purpose IN ('login', 'resume', 'stash', 'temp_url'));
