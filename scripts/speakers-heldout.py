#!/usr/bin/env python3
"""Score sift's speakers on hand-written rows (path, cue_start, cue_end, cue, speaker or -, how)
against a `sift analyze --format jsonl` run of their articles: the first attribution whose cue
overlaps the row's must name the speaker exactly (as `sift eval speakers` does).

  scripts/speakers-heldout.py crates/sift-eval/data/speakers/heldout-en.tsv RUN.jsonl
"""
import json
import sys
rows=[l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip() and not l.startswith('#')]
reps={}
for line in open(sys.argv[2]):
    r=json.loads(line); p=r['source']['path']; reps[p[p.index('shared/data/')+12:]]=r
ok=0; by={}
for path,s,e,cue,spk,how in rows:
    s,e=int(s),int(e); r=reps[path]
    found=[a for a in r['attributions'] if a['cue']['start']<e and s<a['cue']['end']]
    got = found[0]['speaker'] if found else 'MISSING'
    exp = None if spk=='-' else spk
    good = found and got==exp
    ok+=good; t=by.setdefault(how,[0,0]); t[0]+=good; t[1]+=1
    if not good: print('  miss',path.split('/')[-1],s,cue,'expected',exp,'got',got)
print(f'{ok}/{len(rows)} = {100*ok/len(rows):.1f}%', {k:f'{a}/{b}' for k,(a,b) in by.items()})
