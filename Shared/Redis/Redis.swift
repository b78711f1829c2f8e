import CRedis
