#ifndef RENDEZVOUS_CREDIS_SHIM_H
#define RENDEZVOUS_CREDIS_SHIM_H
#include <hiredis/hiredis.h>

/// `redisCommandArgv` with a `void *` result cast to the reply type Swift can read.
static inline redisReply *rz_redis_command_argv(redisContext *c, int argc, const char **argv, const size_t *argvlen) {
    return (redisReply *)redisCommandArgv(c, argc, argv, argvlen);
}
#endif
