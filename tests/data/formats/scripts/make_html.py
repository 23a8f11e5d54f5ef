import html
src=[l.strip() for l in open('/work/shared/seed/changchun-community-2007.txt',encoding='utf-8')]
src=[l for l in src if l]
title=src[0]
# body: lines after the title up to the debris line "看过...的人还看了"
body=[]
for l in src[1:]:
    if l.startswith('看过'): break
    body.append(l)
body=body[:15]
E=html.escape

def page(charset_meta, trs, lang_attr=True):
    head_meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\n' if charset_meta=='gb2312' else ('<meta charset="utf-8">\n' if charset_meta=='utf-8' else '')
    paras='\n'.join('<p style="text-indent:2em;">%s</p>' % E(p) if trs else '<p>　　%s</p>' % E(p) for p in body)
    if trs:
        article = '<div class="TRS_Editor"><style type="text/css">\n.TRS_Editor P{margin-top:5px;margin-bottom:5px;line-height:2;font-family:宋体;font-size:12pt;}\n</style>\n<div class="Custom_UnionStyle">\n' + paras + '\n</div></div>'
    else:
        article = '<div id="zoom" class="content">\n' + paras + '\n</div>'
    aside = '''
<aside class="sidebar">
  <h3>热点排行</h3>
  <ol>
    <li><a href="/zw/201705/t20070509_1001.html">全市城市管理工作会议召开</a></li>
    <li><a href="/zw/201705/t20070508_1002.html">市政府召开常务会议研究部署近期工作</a></li>
    <li><a href="/zw/201705/t20070507_1003.html">我市启动“和谐社区”创建活动</a></li>
    <li><a href="/zw/201705/t20070506_1004.html">南关区社区服务中心正式投入使用</a></li>
    <li><a href="/zw/201705/t20070505_1005.html">市民政局部署低保复核工作</a></li>
  </ol>
  <h3>专题专栏</h3>
  <ul>
    <li><a href="/ztzl/hxsq/">建设和谐社区</a></li>
    <li><a href="/ztzl/kxfzg/">深入学习实践科学发展观</a></li>
    <li><a href="/ztzl/sqd/">喜迎党的十七大</a></li>
  </ul>
</aside>''' if trs else ''
    return f'''<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{head_meta}<title>{E(title)}_长春市民政局</title>
<meta name="keywords" content="社区建设,和谐社区,长春,民政">
<meta name="description" content="{E(body[1][:60])}">
<link href="/images/style.css" rel="stylesheet" type="text/css">
<style type="text/css">
body {{ margin:0; font-size:12px; font-family:"宋体",SimSun,Arial; background:#fff; }}
#top {{ width:960px; margin:0 auto; height:110px; background:url(/images/banner.jpg) no-repeat; }}
#nav {{ width:960px; margin:0 auto; background:#b40000; height:34px; line-height:34px; }}
#nav a {{ color:#fff; font-size:14px; font-weight:bold; text-decoration:none; padding:0 12px; }}
.position {{ width:960px; margin:8px auto; color:#666; }}
.main {{ width:960px; margin:0 auto; overflow:hidden; }}
.article {{ width:{700 if trs else 960}px; float:left; }}
.sidebar {{ width:240px; float:right; border:1px solid #ddd; }}
h1 {{ font-size:22px; color:#b40000; text-align:center; margin:20px 0 10px; }}
.info {{ text-align:center; color:#999; border-bottom:1px dashed #ccc; padding-bottom:8px; }}
.content p {{ font-size:14px; line-height:200%; margin:6px 0; }}
#footer {{ width:960px; margin:20px auto 0; border-top:3px solid #b40000; text-align:center; color:#666; line-height:22px; padding:10px 0; }}
</style>
<script type="text/javascript">
function doZoom(size) {{
    var el = document.getElementById("zoom") || document.querySelector(".TRS_Editor");
    if (!el) return;
    var ps = el.getElementsByTagName("p");
    for (var i = 0; i < ps.length; i++) {{ ps[i].style.fontSize = size + "px"; }}
}}
function doPrint() {{ window.print(); }}
</script>
</head>
<body>
<div id="top"><a href="/"><img src="/images/logo.gif" alt="长春市民政局" border="0"></a>
<div class="search"><form action="/search/search.jsp" method="get"><input type="text" name="q" value="请输入关键字"><input type="submit" value="搜索"></form></div>
</div>
<div id="nav">
<a href="/">首页</a> | <a href="/xw/">新闻</a> | <a href="/zwgk/">政务公开</a> | <a href="/bsfw/">办事服务</a> | <a href="/hdjl/">互动交流</a> | <a href="/sqjs/">社区建设</a> | <a href="/zcfg/">政策法规</a> | <a href="/xxgk/">信息公开</a>
</div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/yw/">要闻</a> &gt; 正文</div>
<div class="main">
<div class="article">
<h1>{E(title)}</h1>
<div class="info">发布时间：2007-05-10 09:32:15&nbsp;&nbsp;来源：长春日报&nbsp;&nbsp;作者：李明&nbsp;&nbsp;字号：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>&nbsp;&nbsp;<a href="javascript:doPrint()">【打印本页】</a>&nbsp;&nbsp;<a href="javascript:window.close()">【关闭窗口】</a></div>
{article}
<div class="editor" style="text-align:right;padding-right:30px;">【责任编辑：王某】</div>
<div class="share">分享到：<a href="#" onclick="return false;">新浪微博</a> <a href="#" onclick="return false;">人人网</a> <a href="#" onclick="return false;">开心网</a></div>
<div class="prevnext">上一篇：<a href="/yw/200705/t20070509_0990.html">全市民政工作会议召开</a><br>下一篇：<a href="/yw/200705/t20070511_0995.html">我市表彰社区建设先进集体和先进个人</a></div>
<div class="related">
<h3>相关阅读</h3>
<ul>
<li><a href="/yw/200705/t20070503_0981.html">民政部领导来长调研社区建设工作</a> <span>2007-05-03</span></li>
<li><a href="/yw/200704/t20070426_0966.html">我市出台加强社区工作者队伍建设的意见</a> <span>2007-04-26</span></li>
<li><a href="/yw/200704/t20070418_0951.html">朝阳区探索社区服务新模式</a> <span>2007-04-18</span></li>
<li><a href="/yw/200704/t20070410_0940.html">社区工作者楷模谭竹青事迹报告会举行</a> <span>2007-04-10</span></li>
<li><a href="/yw/200703/t20070329_0921.html">全国社区建设工作会议精神传达贯彻情况综述</a> <span>2007-03-29</span></li>
</ul>
</div>
<div class="alsoread">
<h3>看过本文的人还看了</h3>
<ul>
<li><a href="/fw/jh/0001.html">社区建设工作会议讲话</a></li>
<li><a href="/fw/jh/0002.html">社区建设工作会领导讲话</a></li>
<li><a href="/fw/jh/0003.html">在社区工作会议上的讲话</a></li>
<li><a href="/fw/jh/0004.html">县长在社区建设会议上讲话</a></li>
<li><a href="/fw/jh/0005.html">社区建设领导讲话</a></li>
</ul>
</div>
</div>{aside}
</div>
<div id="footer">
<a href="/about/">关于我们</a> | <a href="/contact/">联系我们</a> | <a href="/sitemap/">网站地图</a> | <a href="/help/">使用帮助</a><br>
版权所有 Copyright &copy; 2007 长春市民政局 All Rights Reserved<br>
地址：长春市人民大街0000号 邮编：130000 电话：0431-8000000<br>
主办单位：长春市民政局 承办单位：长春市民政局信息中心 备案号：吉ICP备05000000号
</div>
<script type="text/javascript">
var _visits = document.getElementById("count");
document.write('<img src="/stat/count.jsp?id=2007051001&amp;r=' + Math.random() + '" width="1" height="1" style="display:none">');
(function () {{
    var links = document.getElementsByTagName("a");
    for (var i = 0; i < links.length; i++) {{
        if (links[i].href.indexOf("http") === 0 && links[i].href.indexOf(location.host) < 0) links[i].target = "_blank";
    }}
}})();
</script>
</body>
</html>
'''
d='/tmp/testfiles/'
open(d+'gbk-article.html','wb').write(page('gb2312',False).encode('gbk'))
open(d+'utf8-article-nometa.html','wb').write(page(None,False).encode('utf-8'))
open(d+'utf8-article-trs.html','wb').write(page('utf-8',True).encode('utf-8'))
print(len(body),'paras')
