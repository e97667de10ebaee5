# python3 ctx.py <procs file> <accepted/s of its warm loops> ...: the services' context switches
# and CPU per command over the 55 s before its thread count started to fall (the stack stopping)
import sys,re
for pf,rate in zip(sys.argv[1::2],sys.argv[2::2]):
    rows=[]
    for line in open(pf):
        t,*kv=line.split(); d={}
        for x in kv:
            k,val=x.split('='); c,s=val.split('/'); d[k]=(int(c),int(s))
        if 'services' in d: rows.append((float(t),d['services']))
    im=max(range(len(rows)),key=lambda i:rows[i][1][1])
    t1,(c1,s1)=rows[im]
    j=min(range(len(rows)),key=lambda i:abs(rows[i][0]-(t1-55)))
    t0,(c0,s0)=rows[j]
    n=float(rate)*(t1-t0)
    print(pf, 'ctx/cmd %.2f cpu us/cmd %.0f over %.0f s'%((s1-s0)/n,(c1-c0)*1e4/n,t1-t0))
