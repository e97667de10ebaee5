import sys,re,collections
def load(f):
    h=collections.defaultdict(dict)
    for l in open(f):
        m=re.match(r'(\w+)_bucket\{(.*)\} (\S+)',l)
        if not m: continue
        labels=dict(re.findall(r'(\w+)="([^"]*)"',m.group(2)))
        le=labels.pop('le'); le=1e9 if le=='+Inf' else float(le)
        key=m.group(1)+str(sorted(labels.items()))
        h[key][le]=float(m.group(3))
    return h
a,b=load(sys.argv[1]),load(sys.argv[2])
pat=sys.argv[3] if len(sys.argv)>3 else ''
for k in sorted(b):
    if pat not in k: continue
    d=sorted((le,b[k][le]-a.get(k,{}).get(le,0)) for le in b[k])
    total=d[-1][1]
    if total<=0: continue
    out=[]
    for q in (0.5,0.9,0.99,0.999):
        for le,n in d:
            if n>=q*total: out.append('p%g<=%.2fms'%(q*100,le*1000)); break
    print(k[:90], int(total), ' '.join(out))
