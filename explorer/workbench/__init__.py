"""The analyst's workbench on the command line: corrections, who appears with whom, the network, time scope."""
