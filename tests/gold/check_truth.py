#!/usr/bin/env python3
"""Checks truth files as docs/annotation-guide.md section 7 asks.
Usage: python3 tests/gold/check_truth.py DIR   (checks every NAME.txt / NAME.truth.json pair in DIR)"""
import json, re, sys, os
OPEN = {'“': '”', '‘': '’', '「': '」', '『': '』', '"': '"'}
CLOSE = set(OPEN.values())
def scan(text):
    """Outermost pairs found mechanically (straight quotes toggle)."""
    pairs, stack = [], []
    for i, c in enumerate(text):
        if c == '"':
            if stack and stack[-1][0] == '"':
                o, s = stack.pop()
                if not stack: pairs.append((s + 1, i))
            elif not stack:
                stack.append((c, i))
            continue
        if c in OPEN and c != '"':
            stack.append((c, i))
        elif c in CLOSE and stack and OPEN.get(stack[-1][0]) == c:
            o, s = stack.pop()
            if not stack: pairs.append((s + 1, i))
    return pairs
def check(d):
    bad = 0
    for f in sorted(os.listdir(d)):
        if not f.endswith('.truth.json'): continue
        name = f[:-len('.truth.json')]
        text = open(os.path.join(d, name + '.txt'), encoding='utf-8').read()
        t = json.load(open(os.path.join(d, f), encoding='utf-8'))
        errs = []
        if t.get('file') != name + '.txt': errs.append('file field')
        last = -1
        for q in t['quotes']:
            s, e = q['start'], q['end']
            if text[s:e] != q['quote']: errs.append(f'quote mismatch at {s}')
            if s < 1 or text[s-1] not in OPEN: errs.append(f'no opening mark before {s}')
            if e >= len(text) or text[e] not in CLOSE: errs.append(f'no closing mark at {e}')
            if s <= last: errs.append(f'unsorted/overlap at {s}')
            last = e
            if q['kind'] not in ('directive', 'term', 'title'): errs.append(f'kind at {s}')
            if q['kind'] != 'directive' and any(q.get(k) for k in ('speaker','source_title','occasion','date','verb')):
                errs.append(f'non-directive with fields at {s}')
            if q.get('date') and not re.fullmatch(r'\d{4}(-\d{2}(-\d{2})?)?', q['date']): errs.append(f'date at {s}')
            for k in ('speaker','source_title','occasion','date','verb','note'):
                if k not in q: errs.append(f'missing key {k} at {s}')
        for k in ('references','warnings'):
            if k not in t: errs.append(f'missing {k}')
        for w in t.get('warnings', []):
            if set(w) - {'kind', 'text', 'note', 'start', 'end', 'suggestion'} or 'kind' not in w or 'text' not in w:
                errs.append(f'warning needs "kind" and "text": {w}')
            elif w['text'] not in text:
                errs.append(f'warning text not in the file: {w["text"][:30]!r}')
        for r in t.get('references', []):
            if 'doc_number' not in r:
                errs.append(f'reference needs "doc_number": {r}')
        have = {(q['start'], q['end']) for q in t['quotes']}
        for p in scan(text):
            if p not in have and not any(q['start'] <= p[0] and p[1] <= q['end'] for q in t['quotes']):
                errs.append(f'scanned pair {p} {text[p[0]:p[1]][:20]!r} has no entry (fine only if a warning explains it)')
        n = {k: sum(1 for q in t['quotes'] if q['kind'] == k) for k in ('directive','term','title')}
        print(f"{'OK ' if not errs else 'ERR'} {name}: {len(text)} chars, {n}")
        for x in errs[:20]: print('    ', x)
        bad += bool(errs)
    return bad
if __name__ == '__main__':
    sys.exit(1 if check(sys.argv[1]) else 0)
