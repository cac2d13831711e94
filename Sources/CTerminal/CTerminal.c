#define _XOPEN_SOURCE 700
#include "CTerminal.h"
#include <locale.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <wchar.h>

int gradlog_terminal_columns(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return 0;
    return size.ws_col;
}

static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

/* A UTF-8 character-type locale of our own, so the process's locale is left alone. */
static void load_utf8_locale(void) {
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

int gradlog_scalar_width(unsigned int scalar) {
    pthread_once(&utf8_once, load_utf8_locale);
    if (utf8_locale == (locale_t)0) return scalar < 0x20 ? 0 : 1;
    locale_t previous = uselocale(utf8_locale);
    int width = wcwidth((wchar_t)scalar);
    uselocale(previous);
    return width < 0 ? 0 : width;
}
