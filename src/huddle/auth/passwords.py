import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): ~40 ms a check
# on this kind of machine, where argon2-cffi's default (64 MiB, 3 passes, 4 lanes) took
# ~160 ms alone and ~430 ms with a few sign-ins at once, so that a hundred people signing in
# within seconds held the server for most of a minute. Hashes made with other settings still
# verify, and are remade with these at the next sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so unknown emails are not told apart.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so a fast digest is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()
