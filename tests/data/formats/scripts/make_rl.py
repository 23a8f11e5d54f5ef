import sys
from reportlab.pdfgen import canvas
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

mode, out = sys.argv[1], sys.argv[2]
if mode == 'cid':
    pdfmetrics.registerFont(UnicodeCIDFont('STSong-Light'))
    FONT = 'STSong-Light'
else:
    pdfmetrics.registerFont(TTFont('WQYMicroHei', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', subfontIndex=0))
    FONT = 'WQYMicroHei'

W, H = A4
SIZE = 12
LINE_W = 30 * SIZE            # about 30 CJK chars per line
LEFT = (W - LINE_W) / 2
TOP = H - 90
BOTTOM = 80
LEAD = 20
NOSTART = set('，。、；：！？”’）》」』】,.;:!?)%')

lines = [l.strip() for l in open('/work/shared/seed/changchun-community-2007.txt', encoding='utf-8')]
lines = [l for l in lines if l]

def sw(s): return pdfmetrics.stringWidth(s, FONT, SIZE)

def wrap(par, first_indent):
    out, cur, avail = [], '', LINE_W - first_indent
    for ch in par:
        if sw(cur + ch) > avail and cur and ch not in NOSTART:
            out.append(cur); cur = ''; avail = LINE_W
        cur += ch
    if cur: out.append(cur)
    return out

c = canvas.Canvas(out, pagesize=A4)
c.setTitle('市社区建设工作会议讲话'); c.setAuthor('test fixture'); c.setSubject('长春市社区工作文件汇编')
page = [1]
def furniture():
    c.setFont(FONT, 10.5)
    c.drawCentredString(W / 2, H - 50, '长春市社区工作文件汇编')
    c.setLineWidth(0.5); c.line(LEFT, H - 56, LEFT + LINE_W, H - 56)
    c.drawCentredString(W / 2, 45, '— %d —' % page[0])
furniture()
y = TOP
# title: centred, 16pt
c.setFont(FONT, 16); c.drawCentredString(W / 2, y, lines[0]); y -= 36
for par in lines[1:]:
    indent = 2 * SIZE
    for i, ln in enumerate(wrap(par, indent)):
        if y < BOTTOM:
            c.showPage(); page[0] += 1; furniture(); y = TOP
        c.setFont(FONT, SIZE)
        c.drawString(LEFT + (indent if i == 0 else 0), y, ln)
        y -= LEAD
c.showPage(); c.save()
print(out, page[0], 'pages')
