/*
 * banned.h - functions this project does not call.  Include it last in
 * every .c file; a use then fails to compile.  (After git's banned.h.)
 */
#ifndef IRKIT_BANNED_H
#define IRKIT_BANNED_H

#define IRK_BANNED(func) sorry_##func##_is_banned_in_irkit

#undef strcpy
#define strcpy(x, y) IRK_BANNED(strcpy)
#undef strcat
#define strcat(x, y) IRK_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) IRK_BANNED(strncpy)
#undef strtok
#define strtok(x, y) IRK_BANNED(strtok)
#undef sprintf
#define sprintf(...) IRK_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) IRK_BANNED(vsprintf)
#undef atoi
#define atoi(x) IRK_BANNED(atoi)
#undef atol
#define atol(x) IRK_BANNED(atol)
#undef gmtime
#define gmtime(x) IRK_BANNED(gmtime)
#undef localtime
#define localtime(x) IRK_BANNED(localtime)
#undef system
#define system(x) IRK_BANNED(system)
#undef popen
#define popen(x, y) IRK_BANNED(popen)
#undef gets
#define gets(x) IRK_BANNED(gets)

#endif
