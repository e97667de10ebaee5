import sys,re
def load(f):
    b={};m2={}
    for l in open(f).read().splitlines():
        m=re.match(r'streamfold_projection_event_age_seconds_bucket\{.*le="([^"]+)".*\} (\S+)',l)
        if m: b[float(m.group(1)) if m.group(1)!="+Inf" else 1e9]=float(m.group(2))
        m=re.match(r'kafka_stream_thread_(commit_rate|commit_ratio|commit_latency_avg)\{.*\} (\S+)',l)
        if m: m2[m.group(1)]=round(float(m.group(2)),3)
    return b,m2
(a,_),(c,s)=load(sys.argv[1]),load(sys.argv[2])
d=sorted((le,c[le]-a.get(le,0)) for le in c)
total=d[-1][1]; out=[]
for q in (0.5,0.9,0.99,0.999):
    for le,n in d:
        if n>=q*total: out.append(f"p{q*100:g}<={le*1000:.1f}ms"); break
print(sys.argv[3], int(total), " ".join(out), s)
