// librdkafka's client API and its mock cluster, which the development broker serves.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
