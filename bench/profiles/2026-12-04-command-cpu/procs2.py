import os,time,sys
def procs():
    r={}
    for p in os.listdir('/proc'):
        if p.isdigit():
            try: c=open(f'/proc/{p}/cmdline','rb').read()
            except: continue
            if b'java' not in c: continue
            for pat,name in ((b'kafka.Kafka\x00','broker'),(b'Launcher','services'),(b'CommandLoad','loadgen')):
                if pat in c: r[p]=name;break
    return r
def cpu(pid):
    st=open(f'/proc/{pid}/stat').read(); f=st[st.rindex(')')+2:].split(); return int(f[11])+int(f[12])
out=open(sys.argv[1],'w')
while not os.path.exists(sys.argv[2]):
    t=time.time(); line=[]
    for p,n in procs().items():
        try: line.append(f"{n}={cpu(p)}")
        except: pass
    out.write(f"{t:.1f} {' '.join(line)}\n"); out.flush(); time.sleep(2)
