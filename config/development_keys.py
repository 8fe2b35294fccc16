"""The development and test keys, published in this repository (config/settings/local.py and
test.py use them), and so no secret: config.checks makes `check --deploy` report any of them
as an error, so a production set-up that copied one from a laptop never starts unnoticed."""

LOCAL_SECRET_KEY = "insecure-local-development-key-do-not-deploy"
LOCAL_AUDIT_CHAIN_KEY = "insecure-local-audit-key-do-not-deploy"
LOCAL_ID_NUMBER_KEY = "DHvUBQRCCDJkWuuSVrXNCfHQ-KjQ-URSIMjro0I3Etw="
LOCAL_ID_NUMBER_HASH_KEY = "insecure-local-id-number-hash-key-not-secret"

TEST_SECRET_KEY = "test-only-key-not-secret"
TEST_AUDIT_CHAIN_KEY = "test-only-audit-chain-key"
TEST_ID_NUMBER_KEY = "FjCzCKG108BEi67XD4TIg93JAA1SNtlgOPFUdHTi3L4="
TEST_ID_NUMBER_HASH_KEY = "test-only-id-number-hash-key-not-secret"

PUBLISHED_KEYS = frozenset(
    {
        LOCAL_SECRET_KEY,
        LOCAL_AUDIT_CHAIN_KEY,
        LOCAL_ID_NUMBER_KEY,
        LOCAL_ID_NUMBER_HASH_KEY,
        TEST_SECRET_KEY,
        TEST_AUDIT_CHAIN_KEY,
        TEST_ID_NUMBER_KEY,
        TEST_ID_NUMBER_HASH_KEY,
    }
)
