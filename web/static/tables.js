// Labels each cell of a .list table with the heading of its column (data-label) and marks the table "cards": on a
// phone the stylesheet then shows each row as a card of heading/value lines instead of a table wider than the
// screen. Without this script the tables scroll sideways inside their own box.
(function () {
  'use strict';

  function headings(table) {
    var row = table.tHead && table.tHead.rows[0];
    var names = [];
    if (!row) return names;
    for (var i = 0; i < row.cells.length; i++) {
      for (var k = 0; k < (row.cells[i].colSpan || 1); k++) names.push(row.cells[i].textContent.trim());
    }
    return names;
  }

  function label(table) {
    var names = headings(table);
    if (!names.length) return;
    for (var b = 0; b < table.tBodies.length; b++) {
      var rows = table.tBodies[b].rows;
      for (var r = 0; r < rows.length; r++) {
        var column = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          if (cell.tagName === 'TD' && names[column]) cell.setAttribute('data-label', names[column]);
          column += cell.colSpan || 1;
        }
      }
    }
    table.classList.add('cards');
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.list'), label);
})();
