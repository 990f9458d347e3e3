#ifndef IRKIT_VERSION_H
#define IRKIT_VERSION_H

#define IRK_VERSION "0.1.0"
#define IRK_FORMAT_NAME "irkit-evidence"
#define IRK_FORMAT_VERSION 1

#endif
