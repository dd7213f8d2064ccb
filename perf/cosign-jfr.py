#!/usr/bin/env python3
"""Where the cosign node's CPU goes, from a JFR recording of its JVM (docs/perf-cosign.md).

    jfr print --json --stack-depth 64 --events jdk.ExecutionSample node.jfr > node.json
    perf/cosign-jfr.py node.json [FROM_ISO [TO_ISO]]

Takes the execution samples of the node's workers (cosign-*), event loops and audit flusher between
FROM and TO (UTC, e.g. 2026-12-07T17:39:58), and counts each sample once, in the first row below whose
pattern is anywhere in its stack; then, separately, a few subtotals that overlap those rows.
"""
import collections
import json
import sys

ROWS = [
    ('co-sign step TwoPartyServer.sign', ['io.gmgate.crypto.twoparty.TwoPartyServer.sign']),
    ('confirmation Sm2Signer.verifyDigest under P', ['io.gmgate.crypto.Sm2Signer.verifyDigest']),
    ('openShare (read, seal check, fingerprint, decode)', ['io.gmgate.keystore.PgShardStore.openShare']),
    ('PIN counting (recordPinAttempt)', ['io.gmgate.keystore.PgShardStore.recordPinAttempt']),
    ('confirmation: key read, forgiving, the rest', ['io.gmgate.cosign.SignOps.confirm']),
    ('audit flusher (OperationLog batch)', ['io.gmgate.cosign.OperationLog.write', 'io.gmgate.cosign.OperationLog.flushLoop']),
    ('attempt token', ['io.gmgate.cosign.AttemptTokens.']),
    ('JSON strict parse', ['io.gmgate.cosign.api.StrictJson.']),
    ('JSON schema', ['io.gmgate.cosign.api.RequestSchema.', 'io.gmgate.cosign.api.Schemas.']),
    ('JSON answer encode', ['io.vertx.core.json.Json.encode']),
    ('nonces, sessions, rate limits', ['io.gmgate.cosign.state.', 'io.gmgate.limits.']),
    ('other cosign code (dispatch, checks, meters)', ['io.gmgate.']),
    ('HTTP: Vert.x / Netty, the front', ['io.netty.', 'io.vertx.']),
]
SUBTOTALS = [
    ('of which row seals (RowSeal)', 'io.gmgate.keystore.RowSeal.'),
    ('of which ServerKeyShare.fromBytes (d2^-1, joint key)', 'io.gmgate.crypto.twoparty.ServerKeyShare.fromBytes'),
    ('of which JDBC (pgjdbc, Hikari)', 'org.postgresql.'),
]
# CosignMeters wraps whole calls: count only samples whose deepest io.gmgate frame is the meters' own code
METERS = 'in CosignMeters itself (its deepest io.gmgate frame)'


def thread(e):
    t = e['values'].get('sampledThread') or {}
    return t.get('javaName') or t.get('osName') or ''


def frames(e):
    st = e['values'].get('stackTrace') or {}
    return [(f['method']['type']['name'] + '.' + f['method']['name']).replace('/', '.') for f in st.get('frames', [])]


def main():
    data = json.load(open(sys.argv[1]))
    lo = sys.argv[2] if len(sys.argv) > 2 else ''
    hi = sys.argv[3] if len(sys.argv) > 3 else '9'
    samples = [e for e in data['recording']['events'] if e['type'] == 'jdk.ExecutionSample'
               and (thread(e).startswith('cosign-') or thread(e).startswith('vert.x-eventloop'))
               and lo <= e['values']['startTime'] <= hi]
    n = len(samples)
    if n == 0:
        sys.exit('no samples of the node in that window')
    groups = collections.Counter()
    rows = collections.Counter()
    subs = collections.Counter()
    for e in samples:
        name = thread(e)
        groups['audit flusher' if 'oplog' in name else 'workers' if name.startswith('cosign-') else 'event loops'] += 1
        stack = frames(e)
        joined = ' '.join(stack)
        rows[next((r for r, pats in ROWS if any(p in joined for p in pats)), 'other (JDK)')] += 1
        for label, pat in SUBTOTALS:
            if pat in joined:
                subs[label] += 1
        deepest = next((f for f in stack if f.startswith('io.gmgate.')), '')
        if deepest.startswith('io.gmgate.cosign.CosignMeters.'):
            subs[METERS] += 1
    print(f'{n} samples; ' + ', '.join(f'{k} {v * 100 / n:.0f} %' for k, v in groups.most_common()))
    for label, _ in ROWS + [('other (JDK)', None)]:
        print(f'| {label} | {rows[label] * 100 / n:.1f} % |')
    for label, _ in SUBTOTALS + [(METERS, None)]:
        print(f'| {label} | {subs[label] * 100 / n:.1f} % |')


if __name__ == '__main__':
    main()
