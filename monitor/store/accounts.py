"""The web inbox's people: logins with hashed passwords, their sessions, and the
one-tap links already spent.

Only hashes are stored: a password's argon2 hash, a session id's SHA-256, a
link's signature. A copy of the file logs nobody in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.core.errors import StoreError
from monitor.store.columns import iso, parse_iso
from monitor.store.connection import Connection


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    name: str  # the responder's name, as actions record it
    password_hash: str
    created_at: datetime


class AccountsMixin(Connection):
    def add_account(self, name: str, password_hash: str, *, now: datetime) -> None:
        if self.account(name) is not None:
            raise StoreError(f"there is already an account named {name!r}")
        with self._db.atomic():
            self._insert_account(name, password_hash, now)

    def _insert_account(self, name: str, password_hash: str, now: datetime) -> None:
        self._table("users").insert(
            {
                "name": name,
                "password_hash": password_hash,
                "created_at": iso(now),
                "changed_at": iso(now),
            }
        )

    def account(self, name: str) -> Account | None:
        """The account called ``name``, whatever its case (people type names on phones)."""
        rows = self._rows("select * from users where name = ? collate nocase limit 1", [name])
        row = next(rows, None)
        if row is None:
            return None
        return Account(
            name=row["name"],
            password_hash=row["password_hash"],
            created_at=parse_iso(row["created_at"]),
        )

    def accounts(self) -> list[Account]:
        return [
            Account(
                name=row["name"],
                password_hash=row["password_hash"],
                created_at=parse_iso(row["created_at"]),
            )
            for row in self._rows("select * from users order by name collate nocase")
        ]

    def set_password_hash(self, name: str, password_hash: str, *, now: datetime) -> None:
        """A new password; every session of the account ends with the old one."""
        found = self.account(name)
        if found is None:
            raise StoreError(f"no account named {name!r} (add one with 'amends user add')")
        with self._db.atomic():
            self._table("users").update(
                found.name, {"password_hash": password_hash, "changed_at": iso(now)}
            )
            self._db.execute("delete from sessions where user = ?", [found.name])

    def remove_account(self, name: str) -> None:
        found = self.account(name)
        if found is None:
            raise StoreError(f"no account named {name!r}")
        with self._db.atomic():
            self._db.execute("delete from sessions where user = ?", [found.name])
            self._db.execute("delete from users where name = ?", [found.name])

    # --- sessions ----------------------------------------------------------------------

    def add_session(self, id_hash: str, user: str, *, now: datetime, expires_at: datetime) -> None:
        with self._db.atomic():
            # Expired sessions go as new ones come: the table never grows without bound.
            self._db.execute("delete from sessions where expires_at <= ?", [iso(now)])
            self._table("sessions").insert(
                {
                    "id_hash": id_hash,
                    "user": user,
                    "created_at": iso(now),
                    "expires_at": iso(expires_at),
                }
            )

    def session_user(self, id_hash: str, *, now: datetime) -> str | None:
        """Who a live session belongs to; None once it has expired or ended."""
        found = self._one(
            "select s.user from sessions s join users u on u.name = s.user "
            "where s.id_hash = ? and s.expires_at > ?",
            [id_hash, iso(now)],
        )
        return None if found is None else str(found)

    def end_session(self, id_hash: str) -> None:
        with self._db.atomic():
            self._db.execute("delete from sessions where id_hash = ?", [id_hash])

    # --- one-tap links -----------------------------------------------------------------

    def spend_link(self, mac: str, *, now: datetime, expires_at: datetime) -> bool:
        """Mark a link used; False when it already was (exactly one caller gets True)."""
        with self._db.atomic():
            self._db.execute("delete from spent_links where expires_at <= ?", [iso(now)])
            cursor = self._db.execute(
                "insert or ignore into spent_links (mac, spent_at, expires_at) values (?, ?, ?)",
                [mac, iso(now), iso(expires_at)],
            )
        return cursor.rowcount > 0

    def link_spent(self, mac: str) -> bool:
        return self._one("select 1 from spent_links where mac = ?", [mac]) is not None
