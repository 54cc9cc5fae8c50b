package tdisp.cli;

import picocli.CommandLine.IVersionProvider;

import tdisp.output.HarnessVersion;

/** --version: the pom's version, as the build recorded it. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {HarnessVersion.banner(), "Java " + System.getProperty("java.version")};
    }
}
