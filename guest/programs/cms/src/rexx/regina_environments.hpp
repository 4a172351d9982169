// SPDX-License-Identifier: MIT
// Regina's own host environments (ADDRESS SYSTEM, PATH, CMD, REGINA ...)
// start host programs or read host files: a CMS guest must not reach them.
// Regina looks these names up before the application's subcommand handlers,
// and neither the RXCMD exit nor a registration with the same name takes
// them over, so they are deleted from Regina's table instead (see the .cpp)
// and the engine then registers handlers of its own under the same names
// (registered before, a handler would keep Regina's entry alive).
#pragma once

namespace cpd::cms::rexx {

/// The names of Regina's built-in environments, other than COMMAND (which
/// the engine takes over by starting every program in it).
inline constexpr const char* regina_environments[] = {
    "SYSTEM", "PATH", "CMD", "OS2ENVIRONMENT", "ENVIRONMENT", "REGINA", "REXX"};

/// Deletes Regina's built-in environments from this thread's table. Call it
/// from inside a running program (the RXINI exit): only there does the
/// table persist. Once is enough; later calls do nothing.
void close_regina_environments();
/// True once close_regina_environments() has run: until then every program
/// must be started with the RXINI exit that calls it (a program that ends
/// before RXINI, rejected by Regina, must not leave the next one without it).
bool regina_environments_closed() noexcept;

} // namespace cpd::cms::rexx
