// The monthly report's print version: a 打印 button above the report, left out of the printed page
// (report-print.css). The report loads this file itself (<script src=report-print.js> at the end of
// its body): the page's policy allows scripts of the app's origin and no inline ones.
(() => {
  const bar = document.createElement('div');
  bar.className = 'print-bar';
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'print';
  button.textContent = '打印 / 存为 PDF';
  button.addEventListener('click', () => window.print());
  const hint = document.createElement('span');
  hint.textContent = 'A4 纵向；打印对话框里选“另存为 PDF”即得文件。';
  bar.append(button, hint);
  document.body.prepend(bar);
  button.focus();
})();
