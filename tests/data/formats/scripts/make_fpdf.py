import sys
from fpdf import FPDF
out = sys.argv[1]
SIZE=12; LINE_W=30*SIZE; LEAD=20
NOSTART = set('，。、；：！？”’）》」』】,.;:!?)%')
lines=[l.strip() for l in open('/work/shared/seed/changchun-community-2007.txt',encoding='utf-8')]
lines=[l for l in lines if l]
class P(FPDF):
    def header(self):
        self.set_font('wqy', size=10.5)
        self.set_y(50-10.5)  # baseline-ish at 50pt from top
        self.cell(0, 12, '长春市社区工作文件汇编', align='C')
        self.set_line_width(0.5); self.line(self.l_margin, 56, self.l_margin+LINE_W, 56)
        self.set_xy(self.l_margin, 90 - LEAD + 6)
    def footer(self):
        self.set_font('wqy', size=10.5)
        self.set_y(-55)
        self.cell(0, 12, '— %d —' % self.page_no(), align='C')
pdf = P(unit='pt', format='A4')
pdf.add_font('wqy', fname='/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', collection_font_number=0)
W = pdf.w
pdf.set_margins((W-LINE_W)/2, 90, (W-LINE_W)/2)
pdf.set_auto_page_break(True, margin=80)
pdf.set_title('市社区建设工作会议讲话'); pdf.set_subject('长春市社区工作文件汇编')
pdf.add_page()
pdf.set_font('wqy', size=16); pdf.cell(0, 24, lines[0], align='C', new_x='LMARGIN', new_y='NEXT'); pdf.ln(12)
pdf.set_font('wqy', size=SIZE)
def wrap(par, first):
    out, cur, avail = [], '', LINE_W-first
    for ch in par:
        if pdf.get_string_width(cur+ch) > avail and cur and ch not in NOSTART:
            out.append(cur); cur=''; avail=LINE_W
        cur += ch
    if cur: out.append(cur)
    return out
for par in lines[1:]:
    for i, ln in enumerate(wrap(par, 2*SIZE)):
        if i == 0: pdf.set_x(pdf.l_margin + 2*SIZE)
        pdf.cell(LINE_W + 20, LEAD, ln, new_x='LMARGIN', new_y='NEXT')
pdf.output(out)
print(out, pdf.page_no(), 'pages')
