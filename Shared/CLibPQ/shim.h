// libpq's public header; Debian installs it under /usr/include/postgresql.
#include <postgresql/libpq-fe.h>
