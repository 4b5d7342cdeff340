#!/usr/bin/env python3
"""A small MySQL 8 primary for tests (standard library only): serves binlog *files* (for example
the MySQL 8 fixtures in ../shared/fixtures/mysql-binlog) over the real client/server protocol.

- Handshake v10 advertising caching_sha2_password with a 20-byte nonce. Authentication is the
  FAST path only: the server holds SHA256(SHA256(password)) (the "cached" entry) and checks the
  client's scramble XOR(SHA256(pw), SHA256(SHA256(SHA256(pw)) + nonce)); success is answered with
  AuthMoreData 0x03 (fast_auth_success) then OK. Full authentication (RSA key exchange or TLS) is
  not implemented: a wrong password gets error 1045. A client that answers with another plugin
  gets an AuthSwitchRequest to caching_sha2_password. `auth_log` records what happened.
- Text-protocol answers to the queries the Sluice connector runs at start (variables, SHOW BINARY
  LOGS, SHOW MASTER STATUS / SHOW BINARY LOG STATUS, SET ..., SELECT @@..., and from
  `create_tables` SHOW DATABASES, information_schema table lists and SHOW CREATE TABLE: enough
  for a no_data snapshot); anything else (FLUSH TABLES WITH READ LOCK, ...) gets an empty OK.
- COM_BINLOG_DUMP (0x12, file/pos) and COM_BINLOG_DUMP_GTID (0x1e, a MySQL GTID set: the server
  skips transactions whose GTID is in it). It sends an artificial ROTATE, the file's FDE, the
  events, artificial ROTATEs between files, then HEARTBEAT events (or EOF for the non-blocking
  flag) until the client goes. Real ROTATE/STOP events of the files are not forwarded.
- `limit` (transactions served, None = all) lets a test make "new" transactions appear later.
"""
import hashlib
import os
import socket
import struct
import threading
import time
import zlib

CAPS = (0x1 | 0x4 | 0x8 | 0x200 | 0x8000 | 0x10000 | 0x20000 | 0x80000 | 0x200000)  # no DEPRECATE_EOF, no SSL
ROTATE, STOP, FDE, GTID, ANON_GTID, PREV_GTIDS, HEARTBEAT = 4, 3, 15, 33, 34, 35, 27


def sha256(b):
    return hashlib.sha256(b).digest()


def lenenc(b):
    n = len(b)
    if n < 251:
        return bytes([n]) + b
    if n < 1 << 16:
        return b"\xfc" + struct.pack("<H", n) + b
    return b"\xfd" + struct.pack("<I", n)[:3] + b


def uuid_text(sid):
    h = sid.hex()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


class BinlogFile:
    """Events of one binlog file: (offset, raw bytes incl. checksum)."""

    def __init__(self, path, name):
        self.name = name
        data = open(path, "rb").read()
        assert data[:4] == b"\xfebin", path + " is not a binlog file"
        self.events, off = [], 4
        while off + 19 <= len(data):
            size = struct.unpack_from("<I", data, off + 9)[0]
            if size < 19 or off + size > len(data):
                break
            self.events.append((off, data[off:off + size]))
            off += size
        fde = self.events[0][1]
        assert fde[4] == FDE, path + " does not start with a format description event"
        # 5.6.1+: the FDE ends with the checksum algorithm (1 byte) and a CRC32.
        self.crc = len(fde) > 19 + 57 + 5 and fde[-5] == 1
        self.version = fde[19 + 2:19 + 52].split(b"\0")[0].decode()

    def rename_db(self, old, new):
        """Renames a database in QUERY and TABLE_MAP events (same length: positions stay), for
        fixtures written in a system database that connectors skip (e.g. `mysql`)."""
        assert len(old) == len(new)
        old, new = old.encode(), new.encode()
        for i, (off, ev) in enumerate(self.events):
            ev = bytearray(ev)
            if ev[4] == 2:  # QUERY: thread 4, exec 4, db_len 1, err 2, status_len 2, status, db\0
                dlen, slen = ev[19 + 8], struct.unpack_from("<H", ev, 19 + 11)[0]
                p = 19 + 13 + slen
            elif ev[4] == 19:  # TABLE_MAP: table_id 6, flags 2, db_len 1, db\0
                dlen, p = ev[19 + 8], 19 + 9
            else:
                continue
            if bytes(ev[p:p + dlen]) != old:
                continue
            ev[p:p + dlen] = new
            if self.crc:
                struct.pack_into("<I", ev, len(ev) - 4, zlib.crc32(bytes(ev[:-4])) & 0xffffffff)
            self.events[i] = (off, bytes(ev))


def gtid_of(ev, crc):
    """(uuid text, gno) of a GTID_LOG event."""
    sid, gno = ev[20:36], struct.unpack_from("<q", ev, 36)[0]
    return uuid_text(sid), gno


def decode_gtid_set(b):
    out, (n,), p = {}, struct.unpack_from("<Q", b, 0), 8
    for _ in range(n):
        u = uuid_text(b[p:p + 16])
        (k,) = struct.unpack_from("<Q", b, p + 16)
        p += 24
        for _ in range(k):
            s, e = struct.unpack_from("<QQ", b, p)
            p += 16
            out.setdefault(u, []).append((s, e))  # [s, e)
    return out


def in_set(gset, u, gno):
    return any(s <= gno < e for s, e in gset.get(u, []))


def gtid_text(gset):
    parts = []
    for u in sorted(gset):
        merged = []
        for s, e in sorted(gset[u]):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        parts.append(u + ":" + ":".join(str(s) if e - s == 1 else "%d-%d" % (s, e - 1) for s, e in merged))
    return ",".join(parts)


class FakeMySqlPrimary:
    def __init__(self, files, user="sluice", password="secret", server_id=1, gtid_mode=True,
                 create_tables=None, limit=None, heartbeat_s=0.5, rename_db=None):
        self.files = [BinlogFile(p, "binlog.%06d" % (i + 1)) for i, p in enumerate(files)]
        for old, new in (rename_db or {}).items():
            for f in self.files:
                f.rename_db(old, new)
        crcs = {f.crc for f in self.files}
        assert len(crcs) == 1, "all files must use the same binlog checksum"
        self.crc = crcs.pop()
        self.user, self.password, self.server_id = user, password, server_id
        self.gtid_mode, self.create_tables, self.limit = gtid_mode, create_tables or {}, limit
        self.heartbeat_s = heartbeat_s
        self.purged = ""  # @@gtid_purged: what a test pretends is gone from the binlogs
        self.auth_log, self.dumps, self.queries = [], [], []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.closing = False
        self.conns, self.dump_conns = [], []
        self._tl = threading.local()
        threading.Thread(target=self._accept, daemon=True).start()

    # ---- executed GTID set of what is served (for @@gtid_executed)
    def executed(self):
        gset, n = {}, 0
        for f in self.files:
            for _, ev in f.events:
                if ev[4] == GTID:
                    n += 1
                    if self.limit is not None and n > self.limit:
                        return gset
                    u, g = gtid_of(ev, f.crc)
                    gset.setdefault(u, []).append((g, g + 1))
        return gset

    def close(self):
        self.closing = True
        self.sock.close()
        for c in list(self.conns):
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def drop_dumps(self):
        """Cuts every binlog dump connection (the client sees a lost connection)."""
        for c in list(self.dump_conns):
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.dump_conns.clear()

    def _accept(self):
        cid = 0
        while not self.closing:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            cid += 1
            self.conns.append(c)
            threading.Thread(target=self._serve, args=(c, cid), daemon=True).start()

    # ---- packets (the sequence number is per connection thread)
    @property
    def seq(self):
        return self._tl.seq

    @seq.setter
    def seq(self, v):
        self._tl.seq = v

    def _recv(self, c, n):
        b = b""
        while len(b) < n:
            chunk = c.recv(n - len(b))
            if not chunk:
                raise ConnectionError("client closed")
            b += chunk
        return b

    def _read(self, c):
        h = self._recv(c, 4)
        n = h[0] | h[1] << 8 | h[2] << 16
        self.seq = (h[3] + 1) & 0xff
        return self._recv(c, n)

    def _send(self, c, payload):
        while True:
            part, payload = payload[:0xffffff], payload[0xffffff:]
            c.sendall(struct.pack("<I", len(part))[:3] + bytes([self.seq]) + part)
            self.seq = (self.seq + 1) & 0xff
            if len(part) < 0xffffff:
                return

    def _ok(self, c):
        self._send(c, b"\x00\x00\x00\x02\x00\x00\x00")

    def _err(self, c, code, msg):
        self._send(c, b"\xff" + struct.pack("<H", code) + b"#HY000" + msg.encode())

    def _eof(self, c):
        self._send(c, b"\xfe\x00\x00\x02\x00")

    def _result(self, c, names, rows):
        self._send(c, bytes([len(names)]))
        for n in names:
            col = (lenenc(b"def") + lenenc(b"") * 3 + lenenc(n.encode()) + lenenc(n.encode()) +
                   b"\x0c" + struct.pack("<HIBHB", 45, 1024, 253, 0, 0) + b"\x00\x00")
            self._send(c, col)
        self._eof(c)
        for r in rows:
            self._send(c, b"".join(b"\xfb" if v is None else lenenc(str(v).encode()) for v in r))
        self._eof(c)

    # ---- a connection
    def _serve(self, c, cid):
        try:
            self.seq = 0
            if not self._handshake(c, cid):
                return
            while True:
                pkt = self._read(c)
                self.seq = 1
                cmd = pkt[0]
                if cmd == 0x01:  # COM_QUIT
                    return
                if cmd == 0x03:
                    self._query(c, pkt[1:].decode("utf-8", "replace"))
                elif cmd == 0x0e:  # COM_PING
                    self._ok(c)
                elif cmd in (0x12, 0x1e):
                    self._dump(c, cmd, pkt[1:])
                    return
                else:
                    self._err(c, 1047, "unknown command %d" % cmd)
        except (ConnectionError, OSError):
            pass
        finally:
            try:
                c.close()
            except OSError:
                pass
            if c in self.conns:
                self.conns.remove(c)

    def _handshake(self, c, cid):
        nonce = bytes((x % 94) + 33 for x in os.urandom(20))
        hs = (b"\x0a" + b"8.0.32-fake-sluice\0" + struct.pack("<I", cid) + nonce[:8] + b"\0" +
              struct.pack("<H", CAPS & 0xffff) + b"\xff" + struct.pack("<H", 2) +
              struct.pack("<H", CAPS >> 16) + b"\x15" + b"\0" * 10 + nonce[8:] + b"\0" +
              b"caching_sha2_password\0")
        self._send(c, hs)
        resp = self._read(c)
        caps = struct.unpack_from("<I", resp, 0)[0]
        p = 32
        user = resp[p:resp.index(b"\0", p)].decode()
        p = resp.index(b"\0", p) + 1
        if caps & 0x200000:
            n = resp[p]
            token, p = resp[p + 1:p + 1 + n], p + 1 + n
        else:
            n = resp[p]
            token, p = resp[p + 1:p + 1 + n], p + 1 + n
        if caps & 0x8 and p < len(resp):
            p = resp.index(b"\0", p) + 1
        plugin = ""
        if caps & 0x80000 and p < len(resp):
            plugin = resp[p:resp.index(b"\0", p)].decode() if b"\0" in resp[p:] else resp[p:].decode()
        if plugin != "caching_sha2_password":
            self._send(c, b"\xfe" + b"caching_sha2_password\0" + nonce + b"\0")
            token = self._read(c)
            self.auth_log.append(("switch", plugin))
        stage2 = sha256(sha256(self.password.encode()))
        ok = user == self.user and len(token) == 32
        if ok:
            x = sha256(stage2 + nonce)
            ok = sha256(bytes(a ^ b for a, b in zip(token, x))) == stage2
        if not ok:
            self.auth_log.append(("denied", user))
            self._err(c, 1045, "Access denied for user '%s'@'127.0.0.1' (using password: YES)" % user)
            return False
        self.auth_log.append(("fast_auth_success", user))
        self._send(c, b"\x01\x03")
        self._ok(c)
        return True

    def _query(self, c, sql):
        self.queries.append(sql)
        s = " ".join(sql.split()).lower()
        last = self.files[-1]
        size = last.events[-1][0] + len(last.events[-1][1])
        variables = {"log_bin": "ON", "binlog_format": "ROW", "binlog_row_image": "FULL",
                     "binlog_row_value_options": "", "gtid_mode": "ON" if self.gtid_mode else "OFF",
                     "binlog_checksum": "CRC32" if self.crc else "NONE", "version": "8.0.32-fake-sluice",
                     "server_id": str(self.server_id), "enforce_gtid_consistency": "ON" if self.gtid_mode else "OFF"}
        gtids = gtid_text(self.executed()) if self.gtid_mode else ""
        if s.startswith("show global variables") or s.startswith("show variables"):
            self._result(c, ["Variable_name", "Value"], sorted(variables.items()))
        elif s.startswith("show binary logs"):
            self._result(c, ["Log_name", "File_size", "Encrypted"], [(f.name, 0, "No") for f in self.files])
        elif s.startswith("show master status") or s.startswith("show binary log status"):
            self._result(c, ["File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB", "Executed_Gtid_Set"],
                         [(last.name, size, "", "", gtids)])
        elif s.startswith("show databases"):
            dbs = sorted({name.split(".")[0] for name in self.create_tables})
            self._result(c, ["Database"], [(d,) for d in dbs])
        elif "from information_schema.tables" in s and "table_schema=" in s:
            db = sql.split("TABLE_SCHEMA=", 1)[-1].split("'")[1] if "'" in sql else ""
            names = sorted(n.split(".")[1] for n in self.create_tables if n.split(".")[0] == db)
            # As MySQL 8: the columns asked for; TABLE_ROWS is InnoDB's (cached) estimate, 0 here.
            cols = ["TABLE_NAME", "TABLE_ROWS"] if "table_rows" in s else ["TABLE_NAME"]
            self._result(c, cols, [(n, 0)[:len(cols)] for n in names])
        elif s.startswith("show create table"):
            name = sql.split()[-1].replace("`", "")
            if name in self.create_tables:
                self._result(c, ["Table", "Create Table"], [(name.split(".")[-1], self.create_tables[name])])
            else:
                self._err(c, 1146, "Table '%s' doesn't exist" % name)
        elif s.startswith("select"):
            exprs = [e.strip() for e in sql.strip()[6:].split(",")]
            row = []
            for e in exprs:
                k = e.lower().replace("@@global.", "").replace("@@session.", "").replace("@@", "")
                if k in ("gtid_executed",):
                    row.append(gtids)
                elif k == "gtid_purged":
                    row.append(self.purged)
                elif k in variables:
                    row.append(variables[k])
                else:
                    row.append(None)
            self._result(c, exprs, [row])
        else:
            self._ok(c)

    def _event(self, etype, body, log_pos=0, flags=0x20):
        size = 19 + len(body) + (4 if self.crc else 0)
        ev = struct.pack("<IBIIIH", 0, etype, self.server_id, size, log_pos, flags) + body
        if self.crc:
            ev += struct.pack("<I", zlib.crc32(ev) & 0xffffffff)
        return ev

    def _dump(self, c, cmd, p):
        if cmd == 0x12:
            pos, flags, sid = struct.unpack_from("<IHI", p, 0)
            name, gset = p[10:].decode(), None
        else:
            flags, sid, nlen = struct.unpack_from("<HII", p, 0)
            name = p[10:10 + nlen].decode()
            pos, dlen = struct.unpack_from("<QI", p, 10 + nlen)
            gset = decode_gtid_set(p[22 + nlen:22 + nlen + dlen]) if flags & 0x4 else None
        self.dump_conns.append(c)
        self.dumps.append({"cmd": cmd, "file": name, "pos": pos, "gtids": None if gset is None else gtid_text(gset)})
        start = 0
        if gset is None:
            names = [f.name for f in self.files]
            if name not in names:
                self._err(c, 1236, "Could not find first log file name in binary log index file")
                return
            start = names.index(name)
        else:
            pos = 4
        self.seq = 1
        served = 0
        for i in range(start, len(self.files)):
            f = self.files[i]
            if i > start:
                pos = 4
            self._send(c, b"\x00" + self._event(ROTATE, struct.pack("<Q", pos) + f.name.encode()))
            skipping = False
            for off, ev in f.events:
                t = ev[4]
                if t == FDE:
                    self._send(c, b"\x00" + ev)
                    continue
                if off < pos or t in (ROTATE, STOP):
                    continue
                if t in (GTID, ANON_GTID):
                    served += 1
                    if self.limit is not None and served > self.limit:
                        return self._tail(c, f, off, flags)
                    skipping = gset is not None and t == GTID and in_set(gset, *gtid_of(ev, self.crc))
                if not skipping:
                    self._send(c, b"\x00" + ev)
        self._tail(c, self.files[-1], None, flags)

    def _tail(self, c, f, at, flags):
        if at is None:
            at = f.events[-1][0] + len(f.events[-1][1])
        if flags & 0x1:  # BINLOG_DUMP_NON_BLOCK
            self._eof(c)
            return
        while not self.closing:
            self._send(c, b"\x00" + self._event(HEARTBEAT, f.name.encode(), log_pos=at))
            time.sleep(self.heartbeat_s)


if __name__ == "__main__":
    import sys
    srv = FakeMySqlPrimary(sys.argv[1:])
    print("listening on 127.0.0.1:%d (user sluice, password secret)" % srv.port, flush=True)
    while True:
        time.sleep(3600)
