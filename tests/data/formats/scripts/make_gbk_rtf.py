lines=[l.rstrip('\n') for l in open('/work/shared/seed/changchun-community-2007.txt',encoding='utf-8')][:3]
def enc(s):
    out=[]
    for ch in s:
        if ord(ch)<128:
            out.append('\\'+ch if ch in '\\{}' else ch)
        else:
            out.append(''.join("\\'%02x"%b for b in ch.encode('gbk')))
    return ''.join(out)
hdr="{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 "+enc('宋体')+";}}\n"
body=''.join(enc(l)+'\\par\n' for l in lines)
open('/tmp/testfiles/gbk-handmade.rtf','w',encoding='ascii').write(hdr+"\\pard\\f0\\fs24 "+body+"}\n")
