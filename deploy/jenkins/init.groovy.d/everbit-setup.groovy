// Runs at every start of the controller, after configuration as code (casc/jenkins.yaml) has created the agents
// and the Deploy folder (Jenkins runs init.groovy.d after the jobs are loaded).
// 1. Each inbound agent's secret goes into a volume that only that agent and the controller mount.
// 2. The deploy credentials go into the Deploy folder's store, so that only jobs inside that folder (the deploy of
//    main and Rollback) can resolve them; the test jobs outside it cannot, whatever their Jenkinsfile says.
//    Each file is read again at every start: rotate a secret by replacing its file and restarting.
import com.cloudbees.hudson.plugins.folder.AbstractFolder
import com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProvider.FolderCredentialsProperty
import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey
import com.cloudbees.plugins.credentials.CredentialsScope
import com.cloudbees.plugins.credentials.domains.Domain
import com.cloudbees.plugins.credentials.domains.DomainCredentials
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl
import hudson.util.Secret
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.PosixFilePermissions
import jenkins.model.Jenkins
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl
import com.cloudbees.plugins.credentials.SecretBytes

Jenkins jenkins = Jenkins.get()

['test', 'deploy'].each { name ->
    def computer = jenkins.getComputer(name)
    if (computer == null) {
        throw new IllegalStateException("everbit-setup: agent '" + name + "' is missing; casc/jenkins.yaml defines it")
    }
    def file = new File('/var/jenkins_agent_secrets/' + name + '/secret').toPath()
    def tmp = file.resolveSibling('.secret.tmp')
    Files.deleteIfExists(tmp)
    // Created owner-only before the secret is written, then read-only (0400): the agent reads it, nobody rewrites it.
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString('rw-------')))
    Files.write(tmp, computer.jnlpMac.getBytes('UTF-8'))
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString('r--------'))
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
}

/** A secret file's content without trailing whitespace (an editor's newline would end up inside the token). */
String secret(String name) {
    return new File('/run/secrets/' + name).getText('UTF-8').replaceFirst('\\s+$', '')
}

def folder = jenkins.getItemByFullName('Deploy', AbstractFolder)
if (folder == null) {
    throw new IllegalStateException("everbit-setup: folder 'Deploy' is missing; casc/jenkins.yaml defines it")
}
def credentials = [
        new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, 'ghcr',
                'GitHub user + token with write:packages: pushGhcr (Deploy folder only)',
                System.getenv('GHCR_USERNAME'), secret('ghcr-token')),
        // What the VM logs in with (pullCredentialsId): read:packages only, so the push token never reaches the VM.
        new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, 'ghcr-pull',
                'GitHub user + token with read:packages only: the VM pull (Deploy folder only)',
                System.getenv('GHCR_USERNAME'), secret('ghcr-pull-token')),
        new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, 'everbit-vm-ssh', System.getenv('EVERBIT_VM_USER'),
                new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(Secret.fromString(secret('everbit-vm-ssh-key') + '\n')),
                null, 'SSH key of the deploy user on the VM (Deploy folder only)'),
        new FileCredentialsImpl(CredentialsScope.GLOBAL, 'everbit-vm-known-hosts',
                'known_hosts of the VM: strict host-key checking (Deploy folder only)', 'known_hosts',
                SecretBytes.fromBytes((secret('everbit-vm-known-hosts') + '\n').getBytes('UTF-8'))),
]
def property = folder.properties.get(FolderCredentialsProperty)
if (property != null) {
    folder.properties.remove(property)
}
folder.addProperty(new FolderCredentialsProperty([new DomainCredentials(Domain.global(), credentials)] as DomainCredentials[]))
