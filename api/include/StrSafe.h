// Simulator: the spelling some Windows sources use, for case-sensitive file systems.
#pragma once
#include "strsafe.h"
