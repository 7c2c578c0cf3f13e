"""The manager PIN that unlocks kiosk mode: only its salted scrypt hash is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from forms.storage.records import StoreError

if TYPE_CHECKING:
    from forms.storage import Store

KIOSK_PIN_SETTING = "kiosk_pin"
KIOSK_LOCKOUT_SETTING = "kiosk_pin_lockout"
MIN_PIN_LENGTH = 4
# scrypt cost: about 50 ms on a laptop, 16 MB of memory; slow enough to make guessing costly.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$salt$hash` (hex) for a PIN; a fresh random salt unless one is given."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether `pin` is the PIN `stored` was made from (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            pin.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(bytes.fromhex(digest)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def set_kiosk_pin(store: Store, pin: str) -> None:
    """Set the manager PIN that unlocks kiosk mode; only its salted scrypt hash is stored.
    A new PIN ends any lockout of the old one."""
    if len(pin) < MIN_PIN_LENGTH or not pin.isdigit():
        raise StoreError(f"the PIN must be at least {MIN_PIN_LENGTH} digits (0-9)")
    store.set_setting(KIOSK_PIN_SETTING, hash_pin(pin))
    store.set_setting(KIOSK_LOCKOUT_SETTING, None)


@dataclass(frozen=True)
class PinLockoutState:
    """Wrong manager PINs so far, kept with the data so that switching the kiosk off and on
    gives no fresh tries."""

    wrong: int = 0
    """Wrong PINs since the last lockout ended (or the right PIN)."""
    lockouts: int = 0
    """Lockouts in a row since the right PIN."""
    until: float = 0.0
    """When the keypad opens again (wall clock, seconds since the epoch)."""


def kiosk_lockout(store: Store) -> PinLockoutState:
    """The kept count of wrong PINs (none when nothing readable is stored)."""
    try:
        stored = json.loads(store.setting(KIOSK_LOCKOUT_SETTING) or "{}")
        return PinLockoutState(
            wrong=int(stored.get("wrong", 0)),
            lockouts=int(stored.get("lockouts", 0)),
            until=float(stored.get("until", 0.0)),
        )
    except (ValueError, TypeError, AttributeError):
        return PinLockoutState()


def save_kiosk_lockout(store: Store, state: PinLockoutState) -> None:
    """Keep the count of wrong PINs; none left (the right PIN) removes it."""
    kept = None if state == PinLockoutState() else json.dumps(asdict(state), sort_keys=True)
    store.set_setting(KIOSK_LOCKOUT_SETTING, kept)


def has_kiosk_pin(store: Store) -> bool:
    """Whether a manager PIN has been set."""
    return bool(store.setting(KIOSK_PIN_SETTING))


def check_kiosk_pin(store: Store, pin: str) -> bool:
    """Whether `pin` unlocks kiosk mode."""
    stored = store.setting(KIOSK_PIN_SETTING)
    return bool(stored) and pin_matches(pin, stored)
