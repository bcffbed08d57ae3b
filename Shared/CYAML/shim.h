// libyaml's public header (Debian package libyaml-dev, pkg-config name yaml-0.1).
#include <yaml.h>
