/*
 * Character classes of the C locale, the only one: ASCII. Every value
 * outside 0..127 (EOF and bytes above 127 included) is in no class, and
 * toupper/tolower return it unchanged, as glibc does in the C locale.
 */
#ifndef _CTYPE_H
#define _CTYPE_H

int isalnum(int c);
int isalpha(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int isblank(int c);
int tolower(int c);
int toupper(int c);

#endif
