import CAMQP
