// SPDX-License-Identifier: MIT
// The one place rexxsaa.h is included, with the parts of the SAA API the
// engine uses. Private to src/rexx/.
#pragma once

#define INCL_RXSHV
#define INCL_RXSUBCOM
#define INCL_RXSYSEXIT
#define INCL_RXFUNC
#define INCL_RXARI
#define INCL_RXQUEUE
#include <rexxsaa.h>
