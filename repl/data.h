/* --data FILE: loading GTS input-format files into a VM's store. */
#ifndef EXO_REPL_DATA_H
#define EXO_REPL_DATA_H

#include "exo.h"

/* Reads path ("-" = stdin; gzip-compressed or plain) in chunks of whole
 * lines into exo_load_gts_text. Prints the error and returns its status. */
exo_status load_data_file(exo_vm *vm, const char *path);

#endif
