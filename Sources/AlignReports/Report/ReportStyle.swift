/// The report's inline stylesheet and its one small script, kept apart from the markup code.
/// The script holds no data (it reads the page), so no run text can ever end up inside it.
enum ReportStyle {
    static let css = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1180px;padding:16px 24px;color:#1d2430}
    h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;border-bottom:1px solid #d5dae1;padding-bottom:3px;margin-top:28px}
    h3{font-size:15px;margin:18px 0 6px}.sub{color:#5b6573}.note{color:#8a4b00}
    table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #d5dae1;padding:3px 7px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
    th{background:#f1f3f6;font-weight:600}table.kv th{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}
    pre{white-space:pre-wrap;word-break:break-word;background:#f7f8fa;padding:6px;margin:4px 0;max-height:420px;overflow:auto}
    details summary{cursor:pointer;color:#2a5db0}.null{color:#8b95a3}
    svg{display:block;margin:4px 0 12px}svg .bar{fill:#4a78c2}svg .whisker{stroke:#1d2430;stroke-width:1.4;fill:none}
    svg .axis{stroke:#8b95a3;stroke-width:1}svg text{font:12px system-ui,sans-serif;fill:#1d2430}svg .tick{fill:#5b6573}
    #sample-rows td{max-width:420px}#row-filter{padding:4px 6px;width:320px}th.sortable{cursor:pointer}
    """

    /// Filters the sample rows by a search text and sorts them by a clicked column.
    static let script = """
    (function(){
    var table=document.getElementById('sample-rows');if(!table)return;
    var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
    var input=document.getElementById('row-filter'),count=document.getElementById('row-count');
    function apply(){var q=input.value.toLowerCase(),shown=0;
    rows.forEach(function(r){var ok=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!ok;if(ok)shown++;});
    count.textContent=shown+' of '+rows.length+' sample rows shown';}
    input.addEventListener('input',apply);
    Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,k){th.className='sortable';var up=true;
    th.addEventListener('click',function(){rows.sort(function(a,b){var x=a.cells[k].textContent,y=b.cells[k].textContent;
    var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return up?c:-c;});
    up=!up;rows.forEach(function(r){body.appendChild(r);});});});
    apply();})();
    """
}
