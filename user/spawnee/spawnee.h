/* spawnee (main.c): exits with the TSC at the start of main, these bits. */
#ifndef USER_SPAWNEE_SPAWNEE_H
#define USER_SPAWNEE_SPAWNEE_H

#define SPAWNEE_TSC_MASK 0x3fffffffull

#endif
