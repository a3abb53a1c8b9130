package foundation.foxlight.skulklogs.deployment.install;

import foundation.foxlight.skulklogs.deployment.install.InstallerSandbox.Installer;
import foundation.foxlight.skulklogs.deployment.install.InstallerSandbox.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests of one installer script: each test gets a fresh {@link InstallerSandbox} for it, a product
 * directory to install from, and the path of the service file (plist or unit) the script writes.
 */
abstract class InstallerScriptTest {
    private final Installer installer;

    @TempDir
    Path tmp;
    InstallerSandbox box;
    Path dist;
    Path serviceFile;

    InstallerScriptTest(Installer installer) {
        this.installer = installer;
    }

    @BeforeEach
    void setUpSandbox() {
        box = new InstallerSandbox(tmp, installer);
        dist = box.dist("dist", "1.0", "dep-a-1.jar");
        serviceFile = installer.serviceFile(box.home);
    }

    /** Runs the installer with {@code --dist} {@link #dist} and {@code args}. */
    Result install(String... args) {
        return box.run(installer, dist, args);
    }
}
