/**
 * What a terminal shows after some output: a minimal emulator of the control sequences a CLI
 * progress line uses. `\r` to column 0, `\n` to the next line (column 0, as a tty with onlcr),
 * `ESC [ K` erase to the end of the line, `ESC 7` / `ESC 8` save and restore the cursor (rows
 * count from the first line, as if the screen were tall enough never to scroll), other CSI
 * sequences ignored. Characters overwrite what is under the cursor.
 */
export function terminalScreen(output: string): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  let saved = { row: 0, col: 0 };
  const chars = [...output];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\r') col = 0;
    else if (c === '\n') {
      row++;
      col = 0;
      while (lines.length <= row) lines.push([]);
    } else if (c === '\x1b') {
      const next = chars[i + 1];
      if (next === '7') {
        saved = { row, col };
        i++;
      } else if (next === '8') {
        ({ row, col } = saved);
        i++;
      } else if (next === '[') {
        let j = i + 2;
        while (j < chars.length && !/[A-Za-z]/.test(chars[j])) j++;
        if (chars[j] === 'K') lines[row].length = Math.min(lines[row].length, col);
        i = j;
      }
    } else {
      while (lines[row].length < col) lines[row].push(' ');
      lines[row][col] = c;
      col++;
    }
  }
  return lines.map((l) => l.join('').trimEnd());
}
