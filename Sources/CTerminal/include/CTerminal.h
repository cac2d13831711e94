#ifndef GRADLOG_CTERMINAL_H
#define GRADLOG_CTERMINAL_H

/* The width in columns of the terminal on descriptor fd, or 0 when fd is not a terminal.
   (ioctl is variadic, which Swift cannot call.) */
int gradlog_terminal_columns(int fd);

/* The number of terminal cells a Unicode scalar takes: 0 (combining marks, controls), 1 or 2
   (East Asian wide and fullwidth characters), as wcwidth says in a UTF-8 locale. */
int gradlog_scalar_width(unsigned int scalar);

#endif
