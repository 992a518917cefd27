// The nnfpga command: parses options, runs the pipeline, prints diagnostics and sets the exit code
// (0 ok, 1 bad input, 2 bad usage). The only place where UserError is caught.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.h"
#include "nnfpga/support/diagnostics.h"

int main(int argc, char** argv) {
    using namespace nnfpga;
    CLI::App app{"nnfpga: neural networks to low-latency FPGA firmware, with a bit-exact emulator"};
    app.set_version_flag("--version", std::string("nnfpga ") + NNFPGA_VERSION);
    app.require_subcommand(1);
    CommonOptions common;
    PredictOptions predict;
    ReportOptions report;
    addInfoCommand(app, common);
    addPredictCommand(app, common, predict);
    addReportCommand(app, common, report);
    addHelpCommand(app);
    addBackendCommands(app, common);
    addAnalysisCommands(app, common);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    try {
        return runSelected(app, common, predict, report);
    } catch (const UserError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return e.exitCode();
    } catch (const std::exception& e) {
        std::cerr << "error: internal: " << e.what() << "\n";
        return 3;
    }
}
