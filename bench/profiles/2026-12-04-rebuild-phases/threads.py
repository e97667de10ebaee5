import os,time,sys,re,collections
def find(pat):
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                c=open(f'/proc/{p}/cmdline','rb').read()
                if pat in c: return p
            except: pass
def cpu(pid):
    st=open(f'/proc/{pid}/stat').read(); f=st[st.rindex(')')+2:].split(); return int(f[11])+int(f[12])
pid=None
while pid is None:
    pid=find(b'io.streamfold.projection.Main'); time.sleep(0.1)
broker=find(b'\x00kafka.Kafka\x00')
t0=time.time(); prev={}; pb=cpu(broker) if broker else 0; pp=0
out=open(sys.argv[1],'w'); out.write(f"broker={broker}\n")
while os.path.exists(f'/proc/{pid}'):
    cur=collections.Counter()
    try:
        for t in os.listdir(f'/proc/{pid}/task'):
            try:
                st=open(f'/proc/{pid}/task/{t}/stat').read()
                name=st[st.index('(')+1:st.rindex(')')]
                f=st[st.rindex(')')+2:].split()
                cur[(t,re.sub(r'\d+','N',name))]=int(f[11])+int(f[12])
            except: pass
    except: break
    g=collections.Counter()
    for k,v in cur.items(): g[k[1]]+=v-prev.get(k,0)
    prev=cur
    b=cpu(broker) if broker else 0
    out.write(f"{time.time()-t0:.0f} total={sum(g.values())} broker={b-pb} "+' '.join(f"{k}={v}" for k,v in g.most_common(7) if v>0)+"\n"); out.flush(); pb=b
    time.sleep(2)
