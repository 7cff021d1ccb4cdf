/**
 * The style and script of the HTML run report, inlined into the page: no network, no external fonts, scripts or
 * styles, so the file opens from disk and from an email attachment. The script draws the timeline and the job table
 * from the JSON the page carries (smaller than drawing them into the HTML). Private to core.
 * @module
 */

/** The page's style. */
export const PAGE_CSS = `
:root{--ok:#2e9d57;--fail:#d0433b;--run:#3b7dd8;--queue:#e6b54a;--pend:#c9ced6;--fg:#1d232b;--mut:#66707c;--bg:#fff;--line:#e3e6ea}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,section{padding:12px 20px}header{border-bottom:1px solid var(--line)}h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}
.state{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;vertical-align:middle}
.SUCCEEDED{background:var(--ok)}.FAILED{background:var(--fail)}.RUNNING{background:var(--run)}.INCOMPLETE{background:#8a5cc2}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-top:8px}.card{border:1px solid var(--line);border-radius:6px;padding:6px 10px;min-width:140px}
.card b{display:block;font-size:16px}.card span{color:var(--mut);font-size:12px}.note{color:var(--mut);font-size:12px}
#gantt{display:flex;border:1px solid var(--line);border-radius:6px;overflow:hidden}#labels{flex:none;border-right:1px solid var(--line);font:12px/18px ui-monospace,monospace}
#labels div{height:18px;padding:0 6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:220px}#plot{overflow-x:auto;flex:1}
.tools{margin-bottom:6px;display:flex;gap:8px;align-items:center}.tools input{font:inherit;padding:2px 6px}
.legend i{display:inline-block;width:12px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
.p-pending{fill:var(--pend)}.p-queued{fill:var(--queue)}.p-SUCCEEDED{fill:var(--ok)}.p-FAILED{fill:var(--fail)}.p-RUNNING{fill:var(--run)}
.attempt:hover rect{stroke:#000;stroke-width:1}#tip{position:fixed;pointer-events:none;background:#1d232b;color:#fff;padding:6px 8px;border-radius:4px;font-size:12px;white-space:pre;display:none;z-index:9}
.axis text{font-size:10px;fill:var(--mut)}.axis line{stroke:var(--line)}
#dag svg{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px}#dag text{font:12px system-ui,sans-serif}
table{border-collapse:collapse;font-size:12px;width:100%}th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
th{position:sticky;top:0;background:#f6f7f9}td.num{text-align:right}a{color:var(--run)}
`;

/** The page's script: timeline (one `g.attempt` per attempt), tooltips, zoom, filter, and the job table. */
export const PAGE_JS = `
(function(){
var D=JSON.parse(document.getElementById("data").textContent);
var H=18,tip=document.getElementById("tip"),zoom=1,filter="";
function dur(ms){if(ms<9950)return (ms/1000).toFixed(1).replace(/\.0$/,"")+"s";var s=Math.round(ms/1000);if(s<60)return s+"s";if(s<3600)return Math.floor(s/60)+"m"+String(s%60).padStart(2,"0")+"s";
if(s<86400)return Math.floor(s/3600)+"h"+String(Math.floor(s/60)%60).padStart(2,"0")+"m";return Math.floor(s/86400)+"d"+String(Math.floor(s/3600)%24).padStart(2,"0")+"h"}
function when(rel){return rel==null?"?":new Date(D.t0+rel).toISOString().replace("T"," ").replace(/\\.\\d+Z$/,"Z")}
function el(n,a,p){var e=document.createElementNS("http://www.w3.org/2000/svg",n);for(var k in a)e.setAttribute(k,a[k]);if(p)p.appendChild(e);return e}
function draw(){
 var rows=D.rows.filter(function(r){return !filter||r.l.toLowerCase().indexOf(filter)>=0});
 var plot=document.getElementById("plot"),labels=document.getElementById("labels");
 var W=Math.max(300,(plot.clientWidth-4)*zoom),span=Math.max(1000,D.span),top=20,x=function(t){return t/span*W};
 labels.innerHTML="<div style=\\"height:20px\\"></div>"+rows.map(function(r){return "<div title=\\""+r.l+"\\">"+r.l+"</div>"}).join("");
 plot.innerHTML="";var svg=el("svg",{width:W,height:top+rows.length*H},plot);var ax=el("g",{"class":"axis"},svg);
 for(var i=0;i<=8;i++){var t=span*i/8,X=Math.min(W-1,x(t));el("line",{x1:X,x2:X,y1:14,y2:top+rows.length*H},ax);
  var tx=el("text",{x:Math.min(W-30,X+2),y:11},ax);tx.textContent=dur(t)}
 rows.forEach(function(r,ri){var y=top+ri*H+3;r.a.forEach(function(a){
  var g=el("g",{"class":"attempt","data-outcome":a.o},svg);
  function seg(from,to,cls){if(from==null||to==null||to<from)return;el("rect",{x:x(from),y:y,width:Math.max(cls.indexOf("p-pe")==0?0:1.5,x(to)-x(from)),height:H-6,"class":cls},g)}
  var end=a.s!=null?a.s:(a.e!=null?a.e:D.now);
  seg(a.p,Math.min(a.r!=null?a.r:end,end),"p-pending");seg(a.r,end,"p-queued");
  if(a.s!=null)seg(a.s,a.e!=null?a.e:D.now,"p-"+(a.o=="WAITING"?"RUNNING":a.o));
  g.addEventListener("mousemove",function(ev){tip.style.display="block";tip.style.left=(ev.clientX+12)+"px";tip.style.top=(ev.clientY+12)+"px";
   tip.textContent=r.l+"  attempt "+a.n+(a.sub>1?" (submission "+a.sub+")":"")+": "+a.o+
   (a.x!=null?"\\nexit code "+a.x:"")+(a.why?"\\n"+a.why:"")+
   "\\nwaiting for dependencies "+dur(a.ph[0])+", queued "+dur(a.ph[1])+", running "+dur(a.ph[2])+
   "\\nstarted "+when(a.s)+"\\nstopped "+when(a.e)});
  g.addEventListener("mouseleave",function(){tip.style.display="none"});
 })});
}
function table(){
 var link=function(u,t){return u?"<a href=\\""+u+"\\" target=\\"_blank\\" rel=\\"noopener\\">"+t+"</a>":""};
 var esc=function(s){return String(s==null?"":s).replace(/[&<>"]/g,function(c){return {"&":"&amp;","<":"&lt;",">":"&gt;","\\"":"&quot;"}[c]})};
 document.getElementById("jobs").innerHTML="<tr><th>job</th><th>depends on</th><th>status</th><th>attempts</th><th>exit codes</th><th>reason</th><th>size</th><th>queue</th><th>definition</th><th>running</th><th>est. cost</th><th>log stream</th><th>console</th></tr>"+
 D.jobs.map(function(j){var url=D.region?"https://"+D.region+".console.aws.amazon.com":"";
  var enc=function(s){return encodeURIComponent(s).replace(/%/g,"$25")};
  return "<tr><td>"+esc(j.job)+(j.n?" ["+j.n+"]":"")+"</td><td>"+esc(j.dep)+"</td><td>"+esc(j.st)+"</td><td class=num>"+j.at+"</td><td>"+esc(j.x.join(", "))+"</td><td>"+esc(j.why)+
  "</td><td>"+esc(j.size)+"</td><td>"+esc(j.q)+"</td><td>"+esc(j.def)+"</td><td class=num>"+dur(j.ms)+"</td><td class=num>$"+j.usd.toFixed(4)+
  "</td><td>"+esc(j.log)+"</td><td>"+(url?link(url+"/batch/home?region="+D.region+"#jobs/detail/"+j.id,"job")+
  (j.log?" · "+link(url+"/cloudwatch/home?region="+D.region+"#logsV2:log-groups/log-group/"+enc(j.lg)+"/log-events/"+enc(j.log),"log"):""):"")+"</td></tr>"}).join("");
}
document.getElementById("zin").onclick=function(){zoom*=1.5;draw()};
document.getElementById("zout").onclick=function(){zoom=Math.max(1,zoom/1.5);draw()};
document.getElementById("filter").oninput=function(e){filter=e.target.value.toLowerCase();draw()};
window.addEventListener("resize",draw);draw();table();
})();
`;
