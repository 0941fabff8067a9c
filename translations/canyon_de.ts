<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>canyon::AddDeviceDialog</name>
    <message>
        <source>Add device</source>
        <translation>Gerät hinzufügen</translation>
    </message>
    <message>
        <source>e.g. kiosk-12</source>
        <translation>z. B. kiosk-12</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>user@host[:port] or an ~/.ssh/config alias</source>
        <translation>benutzer@host[:port] oder ein Alias aus ~/.ssh/config</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation>&amp;Gruppe:</translation>
    </message>
    <message>
        <source>SSH agent and default keys</source>
        <translation>SSH-Agent und Standardschlüssel</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Schlüsseldatei</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>&amp;Anmeldung:</translation>
    </message>
    <message>
        <source>~/.ssh/id_ed25519</source>
        <translation>~/.ssh/id_ed25519</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Key file:</source>
        <translation>&amp;Schlüsseldatei:</translation>
    </message>
    <message>
        <source>only if the key is encrypted</source>
        <translation>nur wenn der Schlüssel verschlüsselt ist</translation>
    </message>
    <message>
        <source>Pass&amp;phrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>S&amp;topp</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>&amp;Add device</source>
        <translation>Gerät &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Enter the device&apos;s address, then Connect to check it before adding it.</source>
        <translation>Geben Sie die Adresse des Geräts ein und prüfen Sie sie mit „Verbinden“, bevor Sie es hinzufügen.</translation>
    </message>
    <message>
        <source>Choose a private key</source>
        <translation>Privaten Schlüssel wählen</translation>
    </message>
    <message>
        <source>The settings changed: connect again to check them.</source>
        <translation>Die Einstellungen haben sich geändert: Verbinden Sie erneut, um sie zu prüfen.</translation>
    </message>
    <message>
        <source>Give the device a name.</source>
        <translation>Geben Sie dem Gerät einen Namen.</translation>
    </message>
    <message>
        <source>A device named &quot;%1&quot; already exists.</source>
        <translation>Ein Gerät namens „%1“ gibt es bereits.</translation>
    </message>
    <message>
        <source>The target is not valid: %1</source>
        <translation>Das Ziel ist ungültig: %1</translation>
    </message>
    <message>
        <source>Choose the private key file.</source>
        <translation>Wählen Sie die Datei mit dem privaten Schlüssel.</translation>
    </message>
    <message>
        <source>The key file %1 cannot be read.</source>
        <translation>Die Schlüsseldatei %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Enter the password.</source>
        <translation>Geben Sie das Passwort ein.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung zu %1 wird aufgebaut…</translation>
    </message>
    <message>
        <source>Stopped. Nothing was added.</source>
        <translation>Angehalten. Es wurde nichts hinzugefügt.</translation>
    </message>
    <message>
        <source>Connected to %1.</source>
        <translation>Mit %1 verbunden.</translation>
    </message>
    <message>
        <source>Connected to %1 (dialect: %2). Add it to the fleet?</source>
        <translation>Mit %1 verbunden (Dialekt: %2). Zur Flotte hinzufügen?</translation>
    </message>
    <message>
        <source>The host key of %1 is not known yet.</source>
        <translation>Der Host-Schlüssel von %1 ist noch nicht bekannt.</translation>
    </message>
    <message>
        <source>The host key was not trusted. Nothing was run and nothing was added.</source>
        <translation>Dem Host-Schlüssel wurde nicht vertraut. Es wurde nichts ausgeführt und nichts hinzugefügt.</translation>
    </message>
    <message>
        <source>Refused: the host key of %1 has changed. Nothing was run on this host.</source>
        <translation>Abgelehnt: Der Host-Schlüssel von %1 hat sich geändert. Auf diesem Host wurde nichts ausgeführt.</translation>
    </message>
    <message>
        <source>The key file is encrypted: enter its passphrase and connect again.</source>
        <translation>Die Schlüsseldatei ist verschlüsselt: Geben Sie ihre Passphrase ein und verbinden Sie erneut.</translation>
    </message>
    <message>
        <source>The passphrase was not accepted: enter it again and connect.</source>
        <translation>Die Passphrase wurde nicht akzeptiert: Geben Sie sie erneut ein und verbinden Sie.</translation>
    </message>
    <message>
        <source>Could not connect to %1: %2.</source>
        <translation>Keine Verbindung zu %1 möglich: %2.</translation>
    </message>
    <message>
        <source>The device could not be added: %1</source>
        <translation>Das Gerät konnte nicht hinzugefügt werden: %1</translation>
    </message>
    <message>
        <source>&amp;Remember in the keychain</source>
        <translation>Im &amp;Schlüsselbund speichern</translation>
    </message>
    <message>
        <source>No keychain is available: the secret is kept for this session only.</source>
        <translation>Kein Schlüsselbund verfügbar: Das Geheimnis wird nur für diese Sitzung behalten.</translation>
    </message>
    <message>
        <source>&amp;Remember in the keychain (looking for one…)</source>
        <translation>Im &amp;Schlüsselbund speichern (wird gesucht …)</translation>
    </message>
    <message>
        <source>&amp;Remember in the keychain (none available: asked each time)</source>
        <translation>Im &amp;Schlüsselbund speichern (keiner verfügbar: jedes Mal nachfragen)</translation>
    </message>
</context>
<context>
    <name>canyon::AddLxdHostDialog</name>
    <message>
        <source>Enter the address as https://HOST[:PORT]</source>
        <translation>Geben Sie die Adresse als https://HOST[:PORT] ein</translation>
    </message>
    <message>
        <source>Add LXD Host</source>
        <translation>LXD-Host hinzufügen</translation>
    </message>
    <message>
        <source>e.g. lab-lxd</source>
        <translation>z. B. lab-lxd</translation>
    </message>
    <message>
        <source>https://host:8443</source>
        <translation>https://host:8443</translation>
    </message>
    <message>
        <source>Only needed when the server does not trust Canyon yet</source>
        <translation>Nur nötig, wenn der Server Canyon noch nicht vertraut</translation>
    </message>
    <message>
        <source>The server&apos;s core.trust_password, or a token from “lxc config trust add” on the server. Kept for this request only.</source>
        <translation>Das core.trust_password des Servers oder ein Token von „lxc config trust add“ auf dem Server. Wird nur für diese Anfrage aufbewahrt.</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>Fetch the server certificate (nothing is sent but the TLS handshake)</source>
        <translation>Das Serverzertifikat abrufen (außer dem TLS-Handshake wird nichts gesendet)</translation>
    </message>
    <message>
        <source>(not connected yet)</source>
        <translation>(noch nicht verbunden)</translation>
    </message>
    <message>
        <source>I have checked this fingerprint against the server&apos;s: pin it</source>
        <translation>Ich habe diesen Fingerabdruck mit dem des Servers verglichen: festpinnen</translation>
    </message>
    <message>
        <source>On the server: lxc info | grep certificate_fingerprint</source>
        <translation>Auf dem Server: lxc info | grep certificate_fingerprint</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse:</translation>
    </message>
    <message>
        <source>Server certificate SHA256:</source>
        <translation>SHA256 des Serverzertifikats:</translation>
    </message>
    <message>
        <source>&amp;Trust password or token:</source>
        <translation>Ver&amp;trauenspasswort oder Token:</translation>
    </message>
    <message>
        <source>&amp;Add Host</source>
        <translation>Host &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Canyon&apos;s client certificate cannot be created: %1</source>
        <translation>Das Client-Zertifikat von Canyon kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung zu %1 wird hergestellt …</translation>
    </message>
    <message>
        <source>Compare the fingerprint with the server&apos;s own (lxc info), then confirm it to add the host.</source>
        <translation>Vergleichen Sie den Fingerabdruck mit dem des Servers (lxc info) und bestätigen Sie ihn dann, um den Host hinzuzufügen.</translation>
    </message>
    <message>
        <source>REFUSED: the server now presents a different certificate.
Shown and confirmed: %1
Presented now:       %2
Nothing was sent to it. Connect again only if you know why it changed.</source>
        <translation>ABGELEHNT: Der Server legt jetzt ein anderes Zertifikat vor.
Angezeigt und bestätigt: %1
Jetzt vorgelegt:         %2
Es wurde nichts an ihn gesendet. Verbinden Sie sich nur erneut, wenn Sie wissen, warum es sich geändert hat.</translation>
    </message>
    <message>
        <source>(refused: certificate changed)</source>
        <translation>(abgelehnt: Zertifikat geändert)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>A host named %1 exists already.</source>
        <translation>Es gibt bereits einen Host namens %1.</translation>
    </message>
    <message>
        <source>Checking the server with the pinned certificate…</source>
        <translation>Der Server wird mit dem festgepinnten Zertifikat geprüft …</translation>
    </message>
    <message>
        <source>The server does not trust Canyon yet: enter its trust password or a trust token.</source>
        <translation>Der Server vertraut Canyon noch nicht: Geben Sie sein Vertrauenspasswort oder ein Vertrauens-Token ein.</translation>
    </message>
    <message>
        <source>Asking the server to trust Canyon&apos;s client certificate…</source>
        <translation>Der Server wird gebeten, dem Client-Zertifikat von Canyon zu vertrauen …</translation>
    </message>
    <message>
        <source>The server accepted the trust request but still reports Canyon as untrusted.</source>
        <translation>Der Server hat die Vertrauensanfrage angenommen, meldet Canyon aber weiterhin als nicht vertrauenswürdig.</translation>
    </message>
    <message>
        <source>Added (LXD %1).</source>
        <translation>Hinzugefügt (LXD %1).</translation>
    </message>
</context>
<context>
    <name>canyon::ConfigLogsWidget</name>
    <message>
        <source>S&amp;nap:</source>
        <translation>S&amp;nap:</translation>
    </message>
    <message>
        <source>&amp;Info</source>
        <translation>&amp;Info</translation>
    </message>
    <message>
        <source>&amp;Logs (last %1 lines)</source>
        <translation>&amp;Protokoll (letzte %1 Zeilen)</translation>
    </message>
    <message>
        <source>The journal of the snap&apos;s services: snap logs NAME -n %1</source>
        <translation>Das Journal der Dienste des Snaps: snap logs NAME -n %1</translation>
    </message>
    <message>
        <source>&amp;Versions</source>
        <translation>&amp;Versionen</translation>
    </message>
    <message>
        <source>Every installed version of every part: snappy versions -a</source>
        <translation>Jede installierte Version jedes Teils: snappy versions -a</translation>
    </message>
    <message>
        <source>C&amp;hange:</source>
        <translation>&amp;Änderung:</translation>
    </message>
    <message>
        <source>Show the changes first</source>
        <translation>Zuerst die Änderungen anzeigen</translation>
    </message>
    <message>
        <source>&amp;Changes</source>
        <translation>Än&amp;derungen</translation>
    </message>
    <message>
        <source>The device&apos;s recent changes: snap changes</source>
        <translation>Die letzten Änderungen des Geräts: snap changes</translation>
    </message>
    <message>
        <source>&amp;Tasks</source>
        <translation>&amp;Aufgaben</translation>
    </message>
    <message>
        <source>The tasks of the selected change: snap tasks ID</source>
        <translation>Die Aufgaben der gewählten Änderung: snap tasks ID</translation>
    </message>
    <message>
        <source>Select a device to read its snap details, changes and logs.</source>
        <translation>Wählen Sie ein Gerät, um seine Snap-Details, Änderungen und Protokolle zu lesen.</translation>
    </message>
    <message>
        <source>Refresh %1 first: its snap dialect is not known yet.</source>
        <translation>Aktualisieren Sie zuerst %1: sein Snap-Dialekt ist noch nicht bekannt.</translation>
    </message>
    <message>
        <source>Choose what to show for %1.</source>
        <translation>Wählen Sie, was für %1 angezeigt werden soll.</translation>
    </message>
    <message>
        <source>The device&apos;s release and parts: snappy info</source>
        <translation>Release und Teile des Geräts: snappy info</translation>
    </message>
    <message>
        <source>Details of the selected snap: snap info NAME</source>
        <translation>Details des gewählten Snaps: snap info NAME</translation>
    </message>
    <message>
        <source>The 2014 snappy command line has no changes, tasks or service logs.</source>
        <translation>Die snappy-Befehlszeile von 2014 kennt keine Änderungen, Aufgaben oder Dienstprotokolle.</translation>
    </message>
    <message>
        <source>Choose a snap first.</source>
        <translation>Wählen Sie zuerst einen Snap.</translation>
    </message>
    <message>
        <source>This snap name cannot be passed to the device.</source>
        <translation>Dieser Snap-Name kann nicht an das Gerät übergeben werden.</translation>
    </message>
    <message>
        <source>Choose a change first.</source>
        <translation>Wählen Sie zuerst eine Änderung.</translation>
    </message>
    <message>
        <source>The 2014 snappy command line cannot show this.</source>
        <translation>Die snappy-Befehlszeile von 2014 kann das nicht anzeigen.</translation>
    </message>
    <message>
        <source>This device&apos;s command line cannot show this.</source>
        <translation>Die Befehlszeile dieses Geräts kann das nicht anzeigen.</translation>
    </message>
    <message>
        <source>%1 is not a device of this fleet.</source>
        <translation>%1 ist kein Gerät dieser Flotte.</translation>
    </message>
    <message>
        <source>Running “%1” on %2…</source>
        <translation>„%1“ läuft auf %2 …</translation>
    </message>
    <message>
        <source>“%1” on %2 failed: %3.</source>
        <translation>„%1“ auf %2 fehlgeschlagen: %3.</translation>
    </message>
    <message numerus="yes">
        <source>“%1” on %2: %n line(s) in %3 s.</source>
        <translation>
            <numerusform>„%1“ auf %2: %n Zeile in %3 s.</numerusform>
            <numerusform>„%1“ auf %2: %n Zeilen in %3 s.</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” on %2 ended with exit status %3. %4</source>
        <translation>„%1“ auf %2 endete mit Exit-Status %3. %4</translation>
    </message>
</context>
<context>
    <name>canyon::DemoFleet</name>
    <message>
        <source>Cannot create a temporary directory: %1</source>
        <translation>Ein temporäres Verzeichnis kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>Cannot create the demo directories in %1</source>
        <translation>Die Demo-Verzeichnisse in %1 können nicht angelegt werden</translation>
    </message>
    <message>
        <source>The fleet simulator canyon-fleetsim was not found next to %1.</source>
        <translation>Der Flottensimulator canyon-fleetsim wurde neben %1 nicht gefunden.</translation>
    </message>
    <message>
        <source>ssh-keygen could not be started (is OpenSSH&apos;s client installed?)</source>
        <translation>ssh-keygen konnte nicht gestartet werden (ist der OpenSSH-Client installiert?)</translation>
    </message>
    <message>
        <source>ssh-keygen failed for %1: %2</source>
        <translation>ssh-keygen ist für %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The fleet simulator could not be started: %1</source>
        <translation>Der Flottensimulator konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <source>The fleet simulator did not become ready in time.</source>
        <translation>Der Flottensimulator wurde nicht rechtzeitig bereit.</translation>
    </message>
    <message>
        <source>The fleet simulator reported an invalid port.</source>
        <translation>Der Flottensimulator hat einen ungültigen Port gemeldet.</translation>
    </message>
    <message>
        <source>The fleet simulator exited (code %1) before it was ready.</source>
        <translation>Der Flottensimulator wurde beendet (Code %1), bevor er bereit war.</translation>
    </message>
    <message>
        <source>The fleet simulator stopped (code %1); the demo devices are gone.</source>
        <translation>Der Flottensimulator wurde beendet (Code %1); die Demo-Geräte sind nicht mehr da.</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>%1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Unexpected public key format in %1</source>
        <translation>Unerwartetes Format des öffentlichen Schlüssels in %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Some demo devices could not be added:</source>
        <translation>Einige Demo-Geräte konnten nicht hinzugefügt werden:</translation>
    </message>
</context>
<context>
    <name>canyon::DeviceSummaryWidget</name>
    <message>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <source>Dialect:</source>
        <translation>Dialekt:</translation>
    </message>
    <message>
        <source>System:</source>
        <translation>System:</translation>
    </message>
    <message>
        <source>snapd:</source>
        <translation>snapd:</translation>
    </message>
    <message>
        <source>Last inventory:</source>
        <translation>Letzte Bestandsaufnahme:</translation>
    </message>
    <message>
        <source>Kernel:</source>
        <translation>Kernel:</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>Architektur:</translation>
    </message>
    <message>
        <source>Hostname:</source>
        <translation>Hostname:</translation>
    </message>
    <message>
        <source>Snaps refreshed:</source>
        <translation>Snaps aktualisiert:</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>No device selected</source>
        <translation>Kein Gerät ausgewählt</translation>
    </message>
    <message>
        <source>Select a device in the fleet tree to see its system and snaps.</source>
        <translation>Wählen Sie im Flottenbaum ein Gerät, um sein System und seine Snaps zu sehen.</translation>
    </message>
    <message>
        <source>%1/%2 reachable</source>
        <translation>%1/%2 erreichbar</translation>
    </message>
    <message numerus="yes">
        <source>A group of %n device(s). Select a device to see its snaps.</source>
        <translation>
            <numerusform>Eine Gruppe mit %n Gerät. Wählen Sie ein Gerät, um seine Snaps zu sehen.</numerusform>
            <numerusform>Eine Gruppe mit %n Geräten. Wählen Sie ein Gerät, um seine Snaps zu sehen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Offered key: %1 %2</source>
        <translation>Angebotener Schlüssel: %1 %2</translation>
    </message>
    <message>
        <source>Trusted key: %1 %2</source>
        <translation>Vertrauenswürdiger Schlüssel: %1 %2</translation>
    </message>
    <message>
        <source>Nothing was run on this host.</source>
        <translation>Auf diesem Host wurde nichts ausgeführt.</translation>
    </message>
    <message>
        <source>%1 devices selected; showing the current one.</source>
        <translation>%1 Geräte ausgewählt; das aktuelle wird angezeigt.</translation>
    </message>
    <message>
        <source>Not contacted yet.</source>
        <translation>Noch nicht kontaktiert.</translation>
    </message>
    <message>
        <source>Snaps shown are the last known ones, read %1.</source>
        <translation>Die angezeigten Snaps sind die zuletzt bekannten, gelesen %1.</translation>
    </message>
    <message>
        <source>Updates could not be determined: %1</source>
        <translation>Aktualisierungen konnten nicht ermittelt werden: %1</translation>
    </message>
    <message>
        <source>%1 (forced)</source>
        <translation>%1 (erzwungen)</translation>
    </message>
    <message>
        <source>series %1</source>
        <translation>Serie %1</translation>
    </message>
    <message>
        <source>snappy:</source>
        <translation>snappy:</translation>
    </message>
    <message>
        <source>%1 (%2 ms)</source>
        <translation>%1 (%2 ms)</translation>
    </message>
</context>
<context>
    <name>canyon::FleetTreeModel</name>
    <message>
        <source>Ungrouped</source>
        <translation>Ohne Gruppe</translation>
    </message>
    <message>
        <source>Not contacted</source>
        <translation>Nicht kontaktiert</translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation>Wird aktualisiert …</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Nicht erreichbar</translation>
    </message>
    <message>
        <source>Authentication failed</source>
        <translation>Anmeldung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Host key not trusted</source>
        <translation>Host-Schlüssel nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>Host key changed: refused</source>
        <translation>Host-Schlüssel geändert: abgelehnt</translation>
    </message>
    <message>
        <source>Unsupported</source>
        <translation>Nicht unterstützt</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Client not trusted</source>
        <translation>Client nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>Certificate not pinned</source>
        <translation>Zertifikat nicht festgepinnt</translation>
    </message>
    <message>
        <source>Certificate changed: refused</source>
        <translation>Zertifikat geändert: abgelehnt</translation>
    </message>
    <message>
        <source>Drop instances onto an LXD host to move them there</source>
        <translation>Instanzen auf einem LXD-Host ablegen, um sie dorthin zu verschieben</translation>
    </message>
    <message>
        <source>%1 is not an LXD host of this console</source>
        <translation>%1 ist kein LXD-Host dieser Konsole</translation>
    </message>
    <message>
        <source>%1 is already on %2: drop it onto another LXD host</source>
        <translation>%1 ist bereits auf %2: Legen Sie es auf einem anderen LXD-Host ab</translation>
    </message>
    <message>
        <source>%1 presented a changed certificate: nothing is sent to it</source>
        <translation>%1 hat ein geändertes Zertifikat vorgelegt: Es wird nichts an ihn gesendet</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Dialect</source>
        <translation>Dialekt</translation>
    </message>
    <message>
        <source>Snaps</source>
        <translation>Snaps</translation>
    </message>
    <message>
        <source>Updates</source>
        <translation>Aktualisierungen</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>%1/%2 reachable</source>
        <translation>%1/%2 erreichbar</translation>
    </message>
    <message>
        <source>Group %1: %2 devices, %3 reachable</source>
        <translation>Gruppe %1: %2 Geräte, %3 erreichbar</translation>
    </message>
    <message>
        <source>Online, %1/%2 running</source>
        <translation>Online, %1/%2 laufen</translation>
    </message>
    <message>
        <source>LXD</source>
        <translation>LXD</translation>
    </message>
    <message>
        <source>LXD host %1</source>
        <translation>LXD-Host %1</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Adresse: %1</translation>
    </message>
    <message>
        <source>%1 of %2 instances running</source>
        <translation>%1 von %2 Instanzen laufen</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Pinned certificate SHA256: %1</source>
        <translation>SHA256 des festgepinnten Zertifikats: %1</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>container</source>
        <translation>Container</translation>
    </message>
    <message>
        <source>Host: %1</source>
        <translation>Host: %1</translation>
    </message>
    <message>
        <source>Image: %1</source>
        <translation>Abbild: %1</translation>
    </message>
    <message>
        <source>%1+?</source>
        <translation>%1+?</translation>
    </message>
    <message>
        <source>Dialect: %1</source>
        <translation>Dialekt: %1</translation>
    </message>
    <message>
        <source>Last inventory: %1</source>
        <translation>Letzte Bestandsaufnahme: %1</translation>
    </message>
    <message>
        <source>Updates unknown: %1</source>
        <translation>Aktualisierungen unbekannt: %1</translation>
    </message>
    <message>
        <source>cluster member</source>
        <translation>Cluster-Mitglied</translation>
    </message>
    <message>
        <source>Cluster member %1 of %2</source>
        <translation>Cluster-Mitglied %1 von %2</translation>
    </message>
    <message>
        <source>Message: %1</source>
        <translation>Meldung: %1</translation>
    </message>
    <message>
        <source>%1 of %2 instances here running</source>
        <translation>%1 von %2 Instanzen laufen hier</translation>
    </message>
    <message>
        <source>Roles: %1</source>
        <translation>Rollen: %1</translation>
    </message>
    <message>
        <source>Architecture: %1</source>
        <translation>Architektur: %1</translation>
    </message>
    <message>
        <source>Failure domain: %1</source>
        <translation>Ausfalldomäne: %1</translation>
    </message>
</context>
<context>
    <name>canyon::HostKeyDialog</name>
    <message>
        <source>(not recorded)</source>
        <translation>(nicht gespeichert)</translation>
    </message>
    <message>
        <source>Unknown host key</source>
        <translation>Unbekannter Host-Schlüssel</translation>
    </message>
    <message>
        <source>Canyon has never connected to %1 before.</source>
        <translation>Canyon hat sich noch nie mit %1 verbunden.</translation>
    </message>
    <message>
        <source>Compare this fingerprint with the one the device itself shows (for example: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the device) before you trust it. Nothing has been run on the host yet.</source>
        <translation>Vergleichen Sie diesen Fingerabdruck mit dem, den das Gerät selbst anzeigt (zum Beispiel: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub auf dem Gerät), bevor Sie ihm vertrauen. Auf dem Host wurde noch nichts ausgeführt.</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation>Schlüsseltyp:</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Fingerabdruck:</translation>
    </message>
    <message>
        <source>Trust and connect</source>
        <translation>Vertrauen und verbinden</translation>
    </message>
    <message>
        <source>Host key changed: connection refused</source>
        <translation>Host-Schlüssel geändert: Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>The host key of %1 has changed. Canyon refused to connect.</source>
        <translation>Der Host-Schlüssel von %1 hat sich geändert. Canyon hat die Verbindung abgelehnt.</translation>
    </message>
    <message>
        <source>This can mean that someone is intercepting the connection, or that the device was reinstalled.</source>
        <translation>Das kann bedeuten, dass jemand die Verbindung abfängt, oder dass das Gerät neu installiert wurde.</translation>
    </message>
    <message>
        <source>Trusted key:</source>
        <translation>Vertrauenswürdiger Schlüssel:</translation>
    </message>
    <message>
        <source>Offered key:</source>
        <translation>Angebotener Schlüssel:</translation>
    </message>
    <message>
        <source>Nothing was run on this host. If the change is expected, remove the old key from the known_hosts file and try again.</source>
        <translation>Auf diesem Host wurde nichts ausgeführt. Wenn die Änderung erwartet ist, entfernen Sie den alten Schlüssel aus der known_hosts-Datei und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Canyon&apos;s known_hosts file: %1</source>
        <translation>known_hosts-Datei von Canyon: %1</translation>
    </message>
    <message>
        <source>Host key revoked: connection refused</source>
        <translation>Host-Schlüssel widerrufen: Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>The host key of %1 is marked @revoked in a known_hosts file. Canyon refused to connect.</source>
        <translation>Der Host-Schlüssel von %1 ist in einer known_hosts-Datei als @revoked markiert. Canyon hat die Verbindung abgelehnt.</translation>
    </message>
    <message>
        <source>Nothing was run on this host. A revoked key is never accepted: the device needs a new host key, which is then trusted like a new device&apos;s.</source>
        <translation>Auf diesem Host wurde nichts ausgeführt. Ein widerrufener Schlüssel wird nie angenommen: Das Gerät braucht einen neuen Host-Schlüssel, dem dann wie dem eines neuen Geräts vertraut wird.</translation>
    </message>
</context>
<context>
    <name>canyon::InstanceChartsView</name>
    <message>
        <source>Last 5 minutes</source>
        <translation>Letzte 5 Minuten</translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>CPU (% of one core)</source>
        <translation>CPU (% eines Kerns)</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <source>Network received</source>
        <translation>Netzwerk empfangen</translation>
    </message>
    <message>
        <source>Network sent</source>
        <translation>Netzwerk gesendet</translation>
    </message>
    <message>
        <source>Select LXD instances or a host to chart them.</source>
        <translation>Wählen Sie LXD-Instanzen oder einen Host aus, um sie als Diagramm zu zeigen.</translation>
    </message>
    <message>
        <source>Per host (sum)</source>
        <translation>Pro Host (Summe)</translation>
    </message>
    <message>
        <source>One series per LXD host: the sum of its charted instances</source>
        <translation>Eine Reihe pro LXD-Host: die Summe seiner dargestellten Instanzen</translation>
    </message>
    <message>
        <source>Disk used (root device)</source>
        <translation>Belegter Plattenplatz (Root-Gerät)</translation>
    </message>
    <message>
        <source>Disk usage: not reported by the storage backend of these instances (LXD&apos;s dir pool reports none).</source>
        <translation>Plattenbelegung: vom Speicher-Backend dieser Instanzen nicht gemeldet (der dir-Pool von LXD meldet keine).</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n instance(s))</source>
        <translation>
            <numerusform>%1 (%n Instanz)</numerusform>
            <numerusform>%1 (%n Instanzen)</numerusform>
        </translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>nicht gemeldet</translation>
    </message>
</context>
<context>
    <name>canyon::InstanceDrag</name>
    <message>
        <source>only instances can be dropped here</source>
        <translation>hier können nur Instanzen abgelegt werden</translation>
    </message>
    <message>
        <source>these instances were dragged from another Canyon window</source>
        <translation>diese Instanzen wurden aus einem anderen Canyon-Fenster gezogen</translation>
    </message>
    <message>
        <source>no instance in what was dragged</source>
        <translation>das Gezogene enthält keine Instanz</translation>
    </message>
</context>
<context>
    <name>canyon::InstanceLogsWidget</name>
    <message>
        <source>S&amp;how:</source>
        <translation>&amp;Zeigen:</translation>
    </message>
    <message>
        <source>The instance&apos;s configuration, or one of its log files</source>
        <translation>Die Konfiguration der Instanz oder eine ihrer Protokolldateien</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>Read the configuration, the list of log files and the shown file again</source>
        <translation>Die Konfiguration, die Liste der Protokolldateien und die angezeigte Datei erneut lesen</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <source>Stop the download; what arrived stays shown</source>
        <translation>Den Download anhalten; was angekommen ist, bleibt sichtbar</translation>
    </message>
    <message>
        <source>Configuration (expanded)</source>
        <translation>Konfiguration (erweitert)</translation>
    </message>
    <message>
        <source>Select an LXD instance to read its configuration and log files.</source>
        <translation>Wählen Sie eine LXD-Instanz aus, um ihre Konfiguration und Protokolldateien zu lesen.</translation>
    </message>
    <message>
        <source>Select an instance of %1 to read its configuration and log files.</source>
        <translation>Wählen Sie eine Instanz von %1 aus, um ihre Konfiguration und Protokolldateien zu lesen.</translation>
    </message>
    <message>
        <source>Log: %1</source>
        <translation>Protokoll: %1</translation>
    </message>
    <message>
        <source>The log files of %1 could not be listed: %2</source>
        <translation>Die Protokolldateien von %1 konnten nicht aufgelistet werden: %2</translation>
    </message>
    <message>
        <source>Reading the configuration of %1…</source>
        <translation>Die Konfiguration von %1 wird gelesen …</translation>
    </message>
    <message>
        <source>The configuration of %1, expanded with its profiles (as “lxc config show --expanded”).</source>
        <translation>Die Konfiguration von %1, erweitert um ihre Profile (wie „lxc config show --expanded“).</translation>
    </message>
    <message>
        <source>The configuration of %1 could not be read: %2</source>
        <translation>Die Konfiguration von %1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Reading %1 of %2…</source>
        <translation>%1 von %2 wird gelesen …</translation>
    </message>
    <message>
        <source>Receiving %1 of %2: %3…</source>
        <translation>%1 von %2 wird empfangen: %3 …</translation>
    </message>
    <message>
        <source>%1 of %2: %3.</source>
        <translation>%1 von %2: %3.</translation>
    </message>
    <message>
        <source>Stopped: %1 of %2 is shown up to %3.</source>
        <translation>Angehalten: %1 von %2 wird bis %3 angezeigt.</translation>
    </message>
    <message>
        <source>%1 of %2 could not be read completely (%3 arrived): %4</source>
        <translation>%1 von %2 konnte nicht vollständig gelesen werden (%3 angekommen): %4</translation>
    </message>
</context>
<context>
    <name>canyon::InstancesTableModel</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>IPv4</source>
        <translation>IPv4</translation>
    </message>
    <message>
        <source>IPv6</source>
        <translation>IPv6</translation>
    </message>
    <message>
        <source>CPU %</source>
        <translation>CPU %</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <source>Net rx</source>
        <translation>Netz empf.</translation>
    </message>
    <message>
        <source>Net tx</source>
        <translation>Netz ges.</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Last action</source>
        <translation>Letzte Aktion</translation>
    </message>
    <message>
        <source>container</source>
        <translation>Container</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Host: %1</source>
        <translation>Host: %1</translation>
    </message>
    <message>
        <source>Image: %1</source>
        <translation>Abbild: %1</translation>
    </message>
    <message>
        <source>Description: %1</source>
        <translation>Beschreibung: %1</translation>
    </message>
    <message>
        <source>Last action: %1</source>
        <translation>Letzte Aktion: %1</translation>
    </message>
</context>
<context>
    <name>canyon::InstancesView</name>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Start the selected instances</source>
        <translation>Die ausgewählten Instanzen starten</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Stop the selected instances cleanly</source>
        <translation>Die ausgewählten Instanzen sauber stoppen</translation>
    </message>
    <message>
        <source>Force Stop</source>
        <translation>Stoppen erzwingen</translation>
    </message>
    <message>
        <source>Kill the selected instances without a clean shutdown</source>
        <translation>Die ausgewählten Instanzen ohne sauberes Herunterfahren beenden</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Restart the selected instances</source>
        <translation>Die ausgewählten Instanzen neu starten</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>Einfrieren</translation>
    </message>
    <message>
        <source>Freeze (pause) the selected instances</source>
        <translation>Die ausgewählten Instanzen einfrieren (pausieren)</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>Auftauen</translation>
    </message>
    <message>
        <source>Resume the selected frozen instances</source>
        <translation>Die ausgewählten eingefrorenen Instanzen fortsetzen</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen …</translation>
    </message>
    <message>
        <source>Delete the selected stopped instances (asks first)</source>
        <translation>Die ausgewählten gestoppten Instanzen löschen (fragt vorher)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the running actions of the selected instances (where LXD allows it)</source>
        <translation>Die laufenden Aktionen der ausgewählten Instanzen abbrechen (wo LXD es erlaubt)</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>List the instances of the shown hosts again</source>
        <translation>Die Instanzen der angezeigten Hosts erneut auflisten</translation>
    </message>
    <message numerus="yes">
        <source>%n instance(s)</source>
        <translation>
            <numerusform>%n Instanz</numerusform>
            <numerusform>%n Instanzen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 instances shown</source>
        <translation>%1 von %2 Instanzen angezeigt</translation>
    </message>
    <message numerus="yes">
        <source>, %n selected</source>
        <translation>
            <numerusform>, %n ausgewählt</numerusform>
            <numerusform>, %n ausgewählt</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete instances</source>
        <translation>Instanzen löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n instance(s)? Their data is lost.</source>
        <translation>
            <numerusform>%n Instanz löschen? Ihre Daten gehen verloren.</numerusform>
            <numerusform>%n Instanzen löschen? Ihre Daten gehen verloren.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
</context>
<context>
    <name>canyon::JobDialog</name>
    <message>
        <source>Update</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Roll Back</source>
        <translation>Zurückrollen</translation>
    </message>
    <message>
        <source>Hold Refreshes</source>
        <translation>Aktualisierungen zurückhalten</translation>
    </message>
    <message>
        <source>Release Refresh Hold</source>
        <translation>Zurückhalten der Aktualisierungen aufheben</translation>
    </message>
    <message>
        <source>Install Snap</source>
        <translation>Snap installieren</translation>
    </message>
    <message>
        <source>Remove Snaps</source>
        <translation>Snaps entfernen</translation>
    </message>
    <message>
        <source>Reattach Interrupted Job</source>
        <translation>Unterbrochenen Auftrag wieder aufnehmen</translation>
    </message>
    <message numerus="yes">
        <source>Follow the unfinished %1 work of a job that was interrupted, on %n device(s), to its true outcome. Changes already sent are followed by their id, never sent again.</source>
        <translation>
            <numerusform>Die unfertige %1-Arbeit eines unterbrochenen Auftrags auf %n Gerät bis zu ihrem tatsächlichen Ergebnis verfolgen. Bereits gesendete Änderungen werden über ihre ID verfolgt, nie erneut gesendet.</numerusform>
            <numerusform>Die unfertige %1-Arbeit eines unterbrochenen Auftrags auf %n Geräten bis zu ihrem tatsächlichen Ergebnis verfolgen. Bereits gesendete Änderungen werden über ihre ID verfolgt, nie erneut gesendet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Revert %1 to its previous revision on %n device(s)</source>
        <translation>
            <numerusform>%1 auf %n Gerät auf die vorherige Revision zurücksetzen</numerusform>
            <numerusform>%1 auf %n Geräten auf die vorherige Revision zurücksetzen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Hold refreshes of snaps, indefinitely, on %n device(s) (snapd 2.58 or newer)</source>
        <translation>
            <numerusform>Aktualisierungen von Snaps auf %n Gerät unbefristet zurückhalten (snapd 2.58 oder neuer)</numerusform>
            <numerusform>Aktualisierungen von Snaps auf %n Geräten unbefristet zurückhalten (snapd 2.58 oder neuer)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Release the refresh hold of snaps on %n device(s)</source>
        <translation>
            <numerusform>Das Zurückhalten der Aktualisierungen von Snaps auf %n Gerät aufheben</numerusform>
            <numerusform>Das Zurückhalten der Aktualisierungen von Snaps auf %n Geräten aufheben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Install a snap on %n device(s)</source>
        <translation>
            <numerusform>Einen Snap auf %n Gerät installieren</numerusform>
            <numerusform>Einen Snap auf %n Geräten installieren</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove snaps, with every kept revision, from %n device(s)</source>
        <translation>
            <numerusform>Snaps mit allen aufbewahrten Revisionen von %n Gerät entfernen</numerusform>
            <numerusform>Snaps mit allen aufbewahrten Revisionen von %n Geräten entfernen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Refresh snaps on %n device(s)</source>
        <translation>
            <numerusform>Snaps auf %n Gerät aktualisieren</numerusform>
            <numerusform>Snaps auf %n Geräten aktualisieren</numerusform>
        </translation>
    </message>
    <message>
        <source>every snap</source>
        <translation>alle Snaps</translation>
    </message>
    <message>
        <source>Snap names separated by spaces or commas; empty refreshes every snap</source>
        <translation>Snap-Namen, getrennt durch Leerzeichen oder Kommas; leer aktualisiert alle Snaps</translation>
    </message>
    <message>
        <source>a snap name</source>
        <translation>ein Snap-Name</translation>
    </message>
    <message>
        <source>snap names</source>
        <translation>Snap-Namen</translation>
    </message>
    <message>
        <source>The name of the snap to install</source>
        <translation>Der Name des zu installierenden Snaps</translation>
    </message>
    <message>
        <source>Snap names separated by spaces or commas</source>
        <translation>Snap-Namen, getrennt durch Leerzeichen oder Kommas</translation>
    </message>
    <message>
        <source>the tracked channel</source>
        <translation>der verfolgte Kanal</translation>
    </message>
    <message>
        <source>Switch to this channel while refreshing (one snap only), e.g. latest/candidate</source>
        <translation>Beim Aktualisieren auf diesen Kanal wechseln (nur ein Snap), z. B. latest/candidate</translation>
    </message>
    <message>
        <source>from the store</source>
        <translation>aus dem Store</translation>
    </message>
    <message>
        <source>A .snap file already on every device (absolute path), installed with --dangerous; empty installs from the store</source>
        <translation>Eine .snap-Datei, die bereits auf jedem Gerät liegt (absoluter Pfad), installiert mit --dangerous; leer installiert aus dem Store</translation>
    </message>
    <message>
        <source>&amp;Devmode (the snap file was built for it)</source>
        <translation>&amp;Devmode (die Snap-Datei wurde dafür gebaut)</translation>
    </message>
    <message>
        <source>Batch sizes in rollout order: a number of devices or a share of all of them; &quot;1,10%,100%&quot; is one canary, then 10%, then the rest</source>
        <translation>Stapelgrößen in Verteilungsreihenfolge: eine Anzahl von Geräten oder ein Anteil an allen; &quot;1,10%,100%&quot; ist ein Kanarienvogel, dann 10 %, dann der Rest</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>When more than this share of a batch&apos;s devices fails, later batches do not start</source>
        <translation>Wenn mehr als dieser Anteil der Geräte eines Stapels fehlschlägt, starten spätere Stapel nicht</translation>
    </message>
    <message>
        <source>Devices worked on at the same time</source>
        <translation>Gleichzeitig bearbeitete Geräte</translation>
    </message>
    <message>
        <source>&amp;Snap:</source>
        <translation>&amp;Snap:</translation>
    </message>
    <message>
        <source>&amp;Snaps:</source>
        <translation>&amp;Snaps:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>Ka&amp;nal:</translation>
    </message>
    <message>
        <source>Snap &amp;file on the devices:</source>
        <translation>Snap-&amp;Datei auf den Geräten:</translation>
    </message>
    <message>
        <source>&amp;Batches:</source>
        <translation>S&amp;tapel:</translation>
    </message>
    <message>
        <source>Stop when &amp;failures exceed:</source>
        <translation>Anhalten, wenn &amp;Fehler übersteigen:</translation>
    </message>
    <message>
        <source>&amp;Concurrency:</source>
        <translation>&amp;Gleichzeitigkeit:</translation>
    </message>
    <message>
        <source>%p %</source>
        <translation>%p %</translation>
    </message>
    <message>
        <source>&amp;Reattach</source>
        <translation>&amp;Wieder aufnehmen</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>No new device starts; changes already running are still followed</source>
        <translation>Kein weiteres Gerät beginnt; bereits laufende Änderungen werden weiter verfolgt</translation>
    </message>
    <message>
        <source>Cance&amp;l Job</source>
        <translation>Auftrag a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Devices not started yet are left alone; running changes are followed to their end</source>
        <translation>Noch nicht begonnene Geräte bleiben unberührt; laufende Änderungen werden bis zu ihrem Ende verfolgt</translation>
    </message>
    <message>
        <source>C&amp;opy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy the plan or the result as text</source>
        <translation>Den Plan oder das Ergebnis als Text kopieren</translation>
    </message>
    <message>
        <source>Sa&amp;ve As…</source>
        <translation>Speichern &amp;unter …</translation>
    </message>
    <message>
        <source>Save the plan or the result as CSV or JSON</source>
        <translation>Den Plan oder das Ergebnis als CSV oder JSON speichern</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Name exactly one snap to install.</source>
        <translation>Nennen Sie genau einen zu installierenden Snap.</translation>
    </message>
    <message>
        <source>Name the snaps to %1.</source>
        <translation>Nennen Sie die Snaps für: %1.</translation>
    </message>
    <message>
        <source>Not a plain absolute path: %1</source>
        <translation>Kein einfacher absoluter Pfad: %1</translation>
    </message>
    <message>
        <source>A channel is for the store; a snap file has none.</source>
        <translation>Ein Kanal gilt für den Store; eine Snap-Datei hat keinen.</translation>
    </message>
    <message>
        <source>Not a snap name: %1</source>
        <translation>Kein Snap-Name: %1</translation>
    </message>
    <message>
        <source>A channel needs exactly one snap.</source>
        <translation>Ein Kanal braucht genau einen Snap.</translation>
    </message>
    <message>
        <source>Not a channel: %1</source>
        <translation>Kein Kanal: %1</translation>
    </message>
    <message>
        <source>Batches: %1</source>
        <translation>Stapel: %1</translation>
    </message>
    <message>
        <source>No devices selected.</source>
        <translation>Keine Geräte ausgewählt.</translation>
    </message>
    <message numerus="yes">
        <source>Plan: %n batch(es), devices per batch: %1</source>
        <translation>
            <numerusform>Plan: %n Stapel, Geräte pro Stapel: %1</numerusform>
            <numerusform>Plan: %n Stapel, Geräte pro Stapel: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>; later batches stop when more than %1% of a batch fails</source>
        <translation>; spätere Stapel entfallen, wenn mehr als %1 % eines Stapels fehlschlagen</translation>
    </message>
    <message numerus="yes">
        <source>%n to run</source>
        <translation>
            <numerusform>%n auszuführen</numerusform>
            <numerusform>%n auszuführen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped</source>
        <translation>
            <numerusform>%n übersprungen</numerusform>
            <numerusform>%n übersprungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unreachable</source>
        <translation>
            <numerusform>%n nicht erreichbar</numerusform>
            <numerusform>%n nicht erreichbar</numerusform>
        </translation>
    </message>
    <message>
        <source>Revisions are the devices&apos; last known state.</source>
        <translation>Die Revisionen sind der letzte bekannte Stand der Geräte.</translation>
    </message>
    <message>
        <source>The job could not start: %1</source>
        <translation>Der Auftrag konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>Finished: every device succeeded.</source>
        <translation>Beendet: Alle Geräte waren erfolgreich.</translation>
    </message>
    <message>
        <source>Finished with problems.</source>
        <translation>Mit Problemen beendet.</translation>
    </message>
    <message>
        <source>Failures in batch %1 exceeded the maximum: later batches were not started.</source>
        <translation>Die Fehler in Stapel %1 überstiegen das Maximum: Spätere Stapel wurden nicht gestartet.</translation>
    </message>
    <message>
        <source>Paused: no new device starts; running changes are still followed.</source>
        <translation>Pausiert: Kein weiteres Gerät beginnt; laufende Änderungen werden weiter verfolgt.</translation>
    </message>
    <message>
        <source>Batch %1 of %2</source>
        <translation>Stapel %1 von %2</translation>
    </message>
    <message>
        <source>(cancelling: running changes are followed to their end)</source>
        <translation>(wird abgebrochen: laufende Änderungen werden bis zu ihrem Ende verfolgt)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Cancel the job, or wait for it to end, to close this window</source>
        <translation>Brechen Sie den Auftrag ab oder warten Sie sein Ende ab, um dieses Fenster zu schließen</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n row(s) to the clipboard.</source>
        <translation>
            <numerusform>%n Zeile in die Zwischenablage kopiert.</numerusform>
            <numerusform>%n Zeilen in die Zwischenablage kopiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save Job Report</source>
        <translation>Auftragsbericht speichern</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>Gespeichert in %1.</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>%1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>The job is running: cancel it, or wait for it to end, to close this window.</source>
        <translation>Der Auftrag läuft: Brechen Sie ihn ab oder warten Sie sein Ende ab, um dieses Fenster zu schließen.</translation>
    </message>
</context>
<context>
    <name>canyon::JobItemsModel</name>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>pending reboot</source>
        <translation>Neustart ausstehend</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>undone by snapd</source>
        <translation>von snapd rückgängig gemacht</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>nicht begonnen</translation>
    </message>
    <message>
        <source>after a reboot</source>
        <translation>nach einem Neustart</translation>
    </message>
    <message>
        <source>%1 after a reboot</source>
        <translation>%1 nach einem Neustart</translation>
    </message>
    <message>
        <source>nothing changed</source>
        <translation>nichts geändert</translation>
    </message>
    <message>
        <source>no update known</source>
        <translation>keine Aktualisierung bekannt</translation>
    </message>
    <message>
        <source> → ?</source>
        <translation> → ?</translation>
    </message>
    <message>
        <source>(all snaps)</source>
        <translation>(alle Snaps)</translation>
    </message>
    <message>
        <source>%1 (reattached)</source>
        <translation>%1 (wieder aufgenommen)</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>sent over %1</source>
        <translation>gesendet über %1</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Snap</source>
        <translation>Snap</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>nothing to do</source>
        <translation>nichts zu tun</translation>
    </message>
    <message>
        <source>batch %1</source>
        <translation>Stapel %1</translation>
    </message>
    <message>
        <source>change %1</source>
        <translation>Änderung %1</translation>
    </message>
</context>
<context>
    <name>canyon::JobOperations</name>
    <message>
        <source>every snap</source>
        <translation>alle Snaps</translation>
    </message>
    <message numerus="yes">
        <source>%1: reattach to interrupted work on %n device(s)</source>
        <translation>
            <numerusform>%1: unterbrochene Arbeit auf %n Gerät wieder aufnehmen</numerusform>
            <numerusform>%1: unterbrochene Arbeit auf %n Geräten wieder aufnehmen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 %2 on %n device(s)</source>
        <translation>
            <numerusform>%1 %2 auf %n Gerät</numerusform>
            <numerusform>%1 %2 auf %n Geräten</numerusform>
        </translation>
    </message>
    <message>
        <source>fleet</source>
        <translation>Flotte</translation>
    </message>
    <message>
        <source>the job was closed before it finished; its journal keeps the open changes</source>
        <translation>der Auftrag wurde vor seinem Ende geschlossen; sein Journal bewahrt die offenen Änderungen</translation>
    </message>
    <message>
        <source>cancelling: running changes are followed to their end</source>
        <translation>wird abgebrochen: laufende Änderungen werden bis zu ihrem Ende verfolgt</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>batch %1 of %2</source>
        <translation>Stapel %1 von %2</translation>
    </message>
    <message>
        <source>later batches stopped by the failure threshold</source>
        <translation>spätere Stapel durch die Fehlerschwelle gestoppt</translation>
    </message>
</context>
<context>
    <name>canyon::KeychainSecrets</name>
    <message>
        <source>Looking for a keychain…</source>
        <translation>Schlüsselbund wird gesucht …</translation>
    </message>
    <message>
        <source>No keychain (Secret Service or KWallet) is available: Canyon keeps the secret for this session only and asks for it again next time.</source>
        <translation>Kein Schlüsselbund (Secret Service oder KWallet) verfügbar: Canyon behält das Geheimnis nur für diese Sitzung und fragt beim nächsten Mal erneut.</translation>
    </message>
    <message>
        <source>There is nothing to remember.</source>
        <translation>Es gibt nichts zu speichern.</translation>
    </message>
</context>
<context>
    <name>canyon::LxdConsole</name>
    <message>
        <source>Certificate of %1 changed: refused</source>
        <translation>Zertifikat von %1 geändert: abgelehnt</translation>
    </message>
    <message>
        <source>The LXD host %1 presented a different server certificate than the one pinned when it was added. Nothing was sent to it.

Pinned SHA256:    %2
Presented SHA256: %3

If the server was reinstalled on purpose, remove the host and add it again.</source>
        <translation>Der LXD-Host %1 hat ein anderes Serverzertifikat vorgelegt als das beim Hinzufügen festgepinnte. Es wurde nichts an ihn gesendet.

Festgepinntes SHA256: %2
Vorgelegtes SHA256:   %3

Wurde der Server absichtlich neu installiert, entfernen Sie den Host und fügen Sie ihn erneut hinzu.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Force stop</source>
        <translation>Stoppen erzwingen</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Force restart</source>
        <translation>Neustart erzwingen</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>Einfrieren</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>Auftauen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message numerus="yes">
        <source>%1 %n instance(s)</source>
        <translation>
            <numerusform>%1: %n Instanz</numerusform>
            <numerusform>%1: %n Instanzen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1 …</translation>
    </message>
    <message>
        <source>%1: done</source>
        <translation>%1: erledigt</translation>
    </message>
    <message>
        <source>%1: cancelled</source>
        <translation>%1: abgebrochen</translation>
    </message>
    <message>
        <source>%1: %2: %3</source>
        <translation>%1: %2: %3</translation>
    </message>
    <message>
        <source>%1 of %2 done, %3 failed</source>
        <translation>%1 von %2 erledigt, %3 fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 ok, %2 failed, %3 cancelled</source>
        <translation>%1 erfolgreich, %2 fehlgeschlagen, %3 abgebrochen</translation>
    </message>
</context>
<context>
    <name>canyon::MainWindow</name>
    <message>
        <source>Canyon</source>
        <translation>Canyon</translation>
    </message>
    <message>
        <source>&amp;Add Device…</source>
        <translation>Gerät &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Add an SSH device to the fleet (Ctrl+N)</source>
        <translation>Ein SSH-Gerät zur Flotte hinzufügen (Strg+N)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <source>Refresh the inventory of every device (F5)</source>
        <translation>Die Bestandsaufnahme aller Geräte neu laden (F5)</translation>
    </message>
    <message>
        <source>Refresh &amp;Selected</source>
        <translation>Au&amp;swahl neu laden</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>Anhal&amp;ten</translation>
    </message>
    <message>
        <source>Stop the refresh: devices not yet contacted are skipped</source>
        <translation>Das Neuladen anhalten: Noch nicht kontaktierte Geräte werden übersprungen</translation>
    </message>
    <message>
        <source>Re&amp;move Device…</source>
        <translation>Gerät &amp;entfernen…</translation>
    </message>
    <message>
        <source>&amp;Filter</source>
        <translation>&amp;Filter</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Fleet</source>
        <translation>F&amp;lotte</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Filter devices and snaps (Ctrl+F)</source>
        <translation>Geräte und Snaps filtern (Strg+F)</translation>
    </message>
    <message>
        <source>%v/%m</source>
        <translation>%v/%m</translation>
    </message>
    <message>
        <source>A refresh is running; this one starts when it ends.</source>
        <translation>Ein Neuladen läuft bereits; dieses beginnt, sobald es fertig ist.</translation>
    </message>
    <message>
        <source>The refresh could not be started.</source>
        <translation>Das Neuladen konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <source>Stopping the refresh…</source>
        <translation>Das Neuladen wird angehalten…</translation>
    </message>
    <message>
        <source>Remove devices</source>
        <translation>Geräte entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n device(s) from the fleet?</source>
        <translation>
            <numerusform>%n Gerät aus der Flotte entfernen?</numerusform>
            <numerusform>%n Geräte aus der Flotte entfernen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>%1/%2 devices reachable</source>
        <translation>%1/%2 Geräte erreichbar</translation>
    </message>
    <message>
        <source>, refreshing %1</source>
        <translation>, %1 wird neu geladen</translation>
    </message>
    <message>
        <source>Not remembered</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <source>The secret of %1 could not be stored in the keychain: %2</source>
        <translation>Das Geheimnis von %1 konnte nicht im Schlüsselbund gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Snaps</source>
        <translation>Snaps</translation>
    </message>
    <message>
        <source>Config &amp;&amp; Logs</source>
        <translation>Konfiguration &amp;&amp; Protokolle</translation>
    </message>
    <message>
        <source>Enter &amp;Password…</source>
        <translation>&amp;Passwort eingeben …</translation>
    </message>
    <message>
        <source>Give the password or key passphrase this device needs</source>
        <translation>Das Passwort oder die Schlüssel-Passphrase eingeben, die dieses Gerät braucht</translation>
    </message>
    <message>
        <source>%1: authentication failed. Use “Enter Password…” in its context menu.</source>
        <translation>%1: Anmeldung fehlgeschlagen. Verwenden Sie „Passwort eingeben …“ in seinem Kontextmenü.</translation>
    </message>
    <message>
        <source>Show Config &amp;&amp; &amp;Logs</source>
        <translation>Konfiguration &amp;&amp; &amp;Protokolle zeigen</translation>
    </message>
    <message>
        <source>The instance&apos;s configuration and log files, read-only</source>
        <translation>Die Konfiguration und die Protokolldateien der Instanz, nur lesend</translation>
    </message>
    <message>
        <source>&amp;Update…</source>
        <translation>&amp;Aktualisieren …</translation>
    </message>
    <message>
        <source>Roll &amp;Back…</source>
        <translation>&amp;Zurückrollen …</translation>
    </message>
    <message>
        <source>Select snap devices to update (or nothing, for the whole fleet)</source>
        <translation>Wählen Sie die zu aktualisierenden Snap-Geräte aus (oder nichts, für die ganze Flotte)</translation>
    </message>
    <message numerus="yes">
        <source>Refresh every snap on %n device(s), with a plan first</source>
        <translation>
            <numerusform>Alle Snaps auf %n Gerät aktualisieren, zuerst mit einem Plan</numerusform>
            <numerusform>Alle Snaps auf %n Geräten aktualisieren, zuerst mit einem Plan</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Refresh %1 on %n device(s), with a plan first</source>
        <translation>
            <numerusform>%1 auf %n Gerät aktualisieren, zuerst mit einem Plan</numerusform>
            <numerusform>%1 auf %n Geräten aktualisieren, zuerst mit einem Plan</numerusform>
        </translation>
    </message>
    <message>
        <source>Select snap devices to roll back (or nothing, for the whole fleet)</source>
        <translation>Wählen Sie die zurückzurollenden Snap-Geräte aus (oder nichts, für die ganze Flotte)</translation>
    </message>
    <message>
        <source>Select the snap to roll back in the snaps table</source>
        <translation>Wählen Sie den zurückzurollenden Snap in der Snap-Tabelle aus</translation>
    </message>
    <message>
        <source>Select one snap to roll back (%1 are selected)</source>
        <translation>Wählen Sie einen Snap zum Zurückrollen aus (%1 sind ausgewählt)</translation>
    </message>
    <message>
        <source>No previous revision of %1 is kept on the selected devices: nothing to roll back to</source>
        <translation>Auf den ausgewählten Geräten ist keine vorherige Revision von %1 vorhanden: nichts, worauf zurückgerollt werden kann</translation>
    </message>
    <message numerus="yes">
        <source>Revert %1 to its previous revision on %n device(s), with a plan first</source>
        <translation>
            <numerusform>%1 auf %n Gerät auf die vorherige Revision zurücksetzen, zuerst mit einem Plan</numerusform>
            <numerusform>%1 auf %n Geräten auf die vorherige Revision zurücksetzen, zuerst mit einem Plan</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Hold Refreshes…</source>
        <translation>Aktualisierungen zu&amp;rückhalten …</translation>
    </message>
    <message>
        <source>Hold refreshes of the selected snaps indefinitely (snapd 2.58 or newer), with a plan first</source>
        <translation>Aktualisierungen der ausgewählten Snaps unbefristet zurückhalten (snapd 2.58 oder neuer), zuerst mit einem Plan</translation>
    </message>
    <message>
        <source>Release Hol&amp;d…</source>
        <translation>Zurückhalten auf&amp;heben …</translation>
    </message>
    <message>
        <source>Release the refresh hold of the selected snaps, with a plan first</source>
        <translation>Das Zurückhalten der Aktualisierungen der ausgewählten Snaps aufheben, zuerst mit einem Plan</translation>
    </message>
    <message>
        <source>&amp;Install Snap…</source>
        <translation>Snap &amp;installieren …</translation>
    </message>
    <message>
        <source>Install a snap from the store or from a file on the devices, with a plan first</source>
        <translation>Einen Snap aus dem Store oder aus einer Datei auf den Geräten installieren, zuerst mit einem Plan</translation>
    </message>
    <message>
        <source>Remove S&amp;nap…</source>
        <translation>S&amp;nap entfernen …</translation>
    </message>
    <message>
        <source>Remove the selected snaps from the devices, with a plan first</source>
        <translation>Die ausgewählten Snaps von den Geräten entfernen, zuerst mit einem Plan</translation>
    </message>
    <message>
        <source>Interrupted job</source>
        <translation>Unterbrochener Auftrag</translation>
    </message>
    <message numerus="yes">
        <source>A fleet job did not finish: %n change(s) were still open when it was stopped.</source>
        <translation>
            <numerusform>Ein Flottenauftrag wurde nicht beendet: %n Änderung war noch offen, als er angehalten wurde.</numerusform>
            <numerusform>Ein Flottenauftrag wurde nicht beendet: %n Änderungen waren noch offen, als er angehalten wurde.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reattach to follow them to their true outcome? Changes already sent are followed, never sent again. Later keeps them for the next start.</source>
        <translation>Wieder aufnehmen, um sie bis zu ihrem tatsächlichen Ergebnis zu verfolgen? Bereits gesendete Änderungen werden verfolgt, nie erneut gesendet. „Später“ bewahrt sie für den nächsten Start auf.</translation>
    </message>
    <message>
        <source>&amp;Reattach</source>
        <translation>&amp;Wieder aufnehmen</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>&amp;Später</translation>
    </message>
    <message>
        <source>&amp;Instances</source>
        <translation>&amp;Instanzen</translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation>&amp;Diagramme</translation>
    </message>
    <message>
        <source>Add &amp;LXD Host…</source>
        <translation>&amp;LXD-Host hinzufügen …</translation>
    </message>
    <message>
        <source>Add an LXD container host over HTTPS</source>
        <translation>Einen LXD-Container-Host über HTTPS hinzufügen</translation>
    </message>
    <message>
        <source>Running instances of %1</source>
        <translation>Laufende Instanzen von %1</translation>
    </message>
    <message>
        <source>(%1 of %2: select instances to chart others)</source>
        <translation>(%1 von %2: Wählen Sie Instanzen aus, um andere als Diagramm zu zeigen)</translation>
    </message>
</context>
<context>
    <name>canyon::MigrationController</name>
    <message>
        <source>the console is closing</source>
        <translation>die Konsole wird geschlossen</translation>
    </message>
    <message>
        <source>Move of %1: %2</source>
        <translation>Verschieben von %1: %2</translation>
    </message>
    <message>
        <source>&amp;Migrate…</source>
        <translation>&amp;Migrieren …</translation>
    </message>
    <message>
        <source>Move the selected instances to another LXD host (or drag them onto it)</source>
        <translation>Die ausgewählten Instanzen auf einen anderen LXD-Host verschieben (oder sie auf ihn ziehen)</translation>
    </message>
    <message>
        <source>Drop to move %1 to %2 (a dialog confirms first)</source>
        <translation>Ablegen, um %1 nach %2 zu verschieben (ein Dialog fragt zuerst nach)</translation>
    </message>
    <message>
        <source>Drop to move %1 instances to %2 (a dialog confirms first)</source>
        <translation>Ablegen, um %1 Instanzen nach %2 zu verschieben (ein Dialog fragt zuerst nach)</translation>
    </message>
    <message>
        <source>member %1 of %2</source>
        <translation>Mitglied %1 von %2</translation>
    </message>
</context>
<context>
    <name>canyon::MigrationDialog</name>
    <message>
        <source>name taken on the target</source>
        <translation>Name auf dem Ziel vergeben</translation>
    </message>
    <message>
        <source>target lacks pool %1</source>
        <translation>dem Ziel fehlt der Pool %1</translation>
    </message>
    <message>
        <source>target lacks profile %1</source>
        <translation>dem Ziel fehlt das Profil %1</translation>
    </message>
    <message>
        <source>target lacks network %1</source>
        <translation>dem Ziel fehlt das Netzwerk %1</translation>
    </message>
    <message>
        <source>gone from the source</source>
        <translation>von der Quelle verschwunden</translation>
    </message>
    <message>
        <source>unknown host</source>
        <translation>unbekannter Host</translation>
    </message>
    <message>
        <source>host unreachable</source>
        <translation>Host nicht erreichbar</translation>
    </message>
    <message>
        <source>already on that host</source>
        <translation>bereits auf diesem Host</translation>
    </message>
    <message>
        <source>live not possible</source>
        <translation>live nicht möglich</translation>
    </message>
    <message>
        <source>unfinished earlier move</source>
        <translation>unfertiges früheres Verschieben</translation>
    </message>
    <message>
        <source>cannot move</source>
        <translation>kann nicht verschoben werden</translation>
    </message>
    <message>
        <source>none needed</source>
        <translation>keine nötig</translation>
    </message>
    <message>
        <source>%1 ✗ missing</source>
        <translation>%1 ✗ fehlt</translation>
    </message>
    <message>
        <source>%1 ✓</source>
        <translation>%1 ✓</translation>
    </message>
    <message>
        <source>Move Instances</source>
        <translation>Instanzen verschieben</translation>
    </message>
    <message>
        <source>Move %1 from %2</source>
        <translation>%1 von %2 verschieben</translation>
    </message>
    <message>
        <source>The LXD host the instances move to</source>
        <translation>Der LXD-Host, auf den die Instanzen verschoben werden</translation>
    </message>
    <message>
        <source>&amp;to:</source>
        <translation>&amp;nach:</translation>
    </message>
    <message>
        <source>Instance</source>
        <translation>Instanz</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>Neuer Name</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>The instance&apos;s name on the target host; leave it as is to keep the name</source>
        <translation>Der Name der Instanz auf dem Ziel-Host; unverändert lassen, um den Namen zu behalten</translation>
    </message>
    <message>
        <source>&amp;New name:</source>
        <translation>&amp;Neuer Name:</translation>
    </message>
    <message>
        <source>Snapshots</source>
        <translation>Snapshots</translation>
    </message>
    <message>
        <source>&amp;Keep snapshots</source>
        <translation>Snapshots &amp;behalten</translation>
    </message>
    <message>
        <source>Instance &amp;only (snapshots stay behind and are deleted with the source)</source>
        <translation>&amp;Nur die Instanz (Snapshots bleiben zurück und werden mit der Quelle gelöscht)</translation>
    </message>
    <message>
        <source>Running instances</source>
        <translation>Laufende Instanzen</translation>
    </message>
    <message>
        <source>&amp;Stop → move → start (stateless: processes restart on the target)</source>
        <translation>&amp;Stoppen → verschieben → starten (zustandslos: Prozesse starten auf dem Ziel neu)</translation>
    </message>
    <message>
        <source>&amp;Live (stateful: memory state moves too)</source>
        <translation>&amp;Live (zustandsbehaftet: der Speicherzustand wird mitverschoben)</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Pull (the target fetches from the source)</source>
        <translation>Pull (das Ziel holt von der Quelle)</translation>
    </message>
    <message>
        <source>Push (the source sends to the target)</source>
        <translation>Push (die Quelle sendet an das Ziel)</translation>
    </message>
    <message>
        <source>Relay (through this console)</source>
        <translation>Relay (über diese Konsole)</translation>
    </message>
    <message>
        <source>T&amp;ransfer:</source>
        <translation>Ü&amp;bertragung:</translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation>&amp;Verschieben</translation>
    </message>
    <message>
        <source>not a valid instance name</source>
        <translation>kein gültiger Instanzname</translation>
    </message>
    <message>
        <source>another instance of this move gets the same name</source>
        <translation>eine andere Instanz dieses Verschiebens erhält denselben Namen</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft …</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>bereit</translation>
    </message>
    <message>
        <source>&amp;Keep snapshots (there are none)</source>
        <translation>Snapshots &amp;behalten (es gibt keine)</translation>
    </message>
    <message>
        <source>None of these instances is running: they move as they are.</source>
        <translation>Keine dieser Instanzen läuft: Sie werden so verschoben, wie sie sind.</translation>
    </message>
    <message>
        <source>The instance is not running: it moves as it is.</source>
        <translation>Die Instanz läuft nicht: Sie wird so verschoben, wie sie ist.</translation>
    </message>
    <message>
        <source>Live: %1</source>
        <translation>Live: %1</translation>
    </message>
    <message>
        <source>Live is not possible: %1</source>
        <translation>Live ist nicht möglich: %1</translation>
    </message>
    <message>
        <source>%1 / %2 → %3</source>
        <translation>%1 / %2 → %3</translation>
    </message>
    <message>
        <source>✗ Not a valid instance name: letters, digits and “-”, starting with a letter, at most 63 characters.</source>
        <translation>✗ Kein gültiger Instanzname: Buchstaben, Ziffern und „-“, beginnend mit einem Buchstaben, höchstens 63 Zeichen.</translation>
    </message>
    <message>
        <source>✗ Another instance of this move gets the name %1: choose another name.</source>
        <translation>✗ Eine andere Instanz dieses Verschiebens erhält den Namen %1: Wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>Checking whether %1 is free on %2…</source>
        <translation>Es wird geprüft, ob %1 auf %2 frei ist …</translation>
    </message>
    <message>
        <source>✓ %1 is free on %2.</source>
        <translation>✓ %1 ist auf %2 frei.</translation>
    </message>
    <message>
        <source>• %1 (Move resolves it first)</source>
        <translation>• %1 („Verschieben“ behebt es zuerst)</translation>
    </message>
    <message>
        <source>virtual machine</source>
        <translation>virtuelle Maschine</translation>
    </message>
    <message>
        <source>container</source>
        <translation>Container</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>Automatic: %1</source>
        <translation>Automatisch: %1</translation>
    </message>
    <message>
        <source>Resolve the problem above to move the instance.</source>
        <translation>Beheben Sie das obige Problem, um die Instanz zu verschieben.</translation>
    </message>
    <message>
        <source>%1 of %2 instances cannot move yet: select them to see why.</source>
        <translation>%1 von %2 Instanzen können noch nicht verschoben werden: Wählen Sie sie aus, um den Grund zu sehen.</translation>
    </message>
    <message>
        <source>Checking both hosts…</source>
        <translation>Beide Hosts werden geprüft …</translation>
    </message>
    <message>
        <source>Ready. Move copies, verifies the copy, then deletes the source: the source is deleted only after the copy was verified. Progress is in the Operations dock.</source>
        <translation>Bereit. „Verschieben“ kopiert, prüft die Kopie und löscht dann die Quelle: Die Quelle wird erst gelöscht, nachdem die Kopie geprüft wurde. Der Fortschritt steht im Vorgangsfenster.</translation>
    </message>
    <message>
        <source>Move %1 instances</source>
        <translation>%1 Instanzen verschieben</translation>
    </message>
    <message>
        <source>&amp;Keep snapshots (%1)</source>
        <translation>Snapshots &amp;behalten (%1)</translation>
    </message>
    <message>
        <source>✗ %1 already has an instance named %2: choose another name.</source>
        <translation>✗ %1 hat bereits eine Instanz namens %2: Wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>What the target has and misses:</source>
        <translation>Was das Ziel hat und was ihm fehlt:</translation>
    </message>
    <message>
        <source>no snapshots</source>
        <translation>keine Snapshots</translation>
    </message>
    <message>
        <source>1 snapshot</source>
        <translation>1 Snapshot</translation>
    </message>
    <message>
        <source>%1 snapshots</source>
        <translation>%1 Snapshots</translation>
    </message>
    <message>
        <source>A %1, %2, with %3.</source>
        <translation>Ein(e) %1, %2, mit %3.</translation>
    </message>
    <message>
        <source>  Storage pools: %1</source>
        <translation>  Speicherpools: %1</translation>
    </message>
    <message>
        <source>  Profiles: %1</source>
        <translation>  Profile: %1</translation>
    </message>
    <message>
        <source>  Networks: %1</source>
        <translation>  Netzwerke: %1</translation>
    </message>
    <message>
        <source>  (%1 has pools: %2; profiles: %3)</source>
        <translation>  (%1 hat die Pools: %2; Profile: %3)</translation>
    </message>
    <message>
        <source>no cluster member %1</source>
        <translation>kein Cluster-Mitglied %1</translation>
    </message>
    <message>
        <source>already on member %1</source>
        <translation>bereits auf Mitglied %1</translation>
    </message>
    <message>
        <source>%1 to member %2 of %3</source>
        <translation>%1 zu Mitglied %2 von %3</translation>
    </message>
    <message>
        <source>%1 / %2 → member %3</source>
        <translation>%1 / %2 → Mitglied %3</translation>
    </message>
    <message>
        <source>A member move keeps the instance and its name: LXD moves it inside the cluster.</source>
        <translation>Ein Verschieben zwischen Mitgliedern behält die Instanz und ihren Namen: LXD verschiebt sie innerhalb des Clusters.</translation>
    </message>
    <message>
        <source>On member %1 now; the cluster&apos;s storage pools, profiles and networks serve every member.</source>
        <translation>Jetzt auf Mitglied %1; die Speicherpools, Profile und Netzwerke des Clusters dienen jedem Mitglied.</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(unbekannt)</translation>
    </message>
    <message>
        <source>Ready. LXD moves the instance to member %1 itself: one copy, nothing is copied or deleted by Canyon; a running instance is stopped first and started again. Progress is in the Operations dock.</source>
        <translation>Bereit. LXD verschiebt die Instanz selbst auf Mitglied %1: eine Kopie, Canyon kopiert und löscht nichts; eine laufende Instanz wird zuerst gestoppt und danach wieder gestartet. Der Fortschritt steht im Vorgangsfenster.</translation>
    </message>
</context>
<context>
    <name>canyon::MigrationOperations</name>
    <message>
        <source>queued (host busy)</source>
        <translation>eingereiht (Host beschäftigt)</translation>
    </message>
    <message>
        <source>checking both hosts</source>
        <translation>beide Hosts werden geprüft</translation>
    </message>
    <message>
        <source>stopping the source</source>
        <translation>die Quelle wird gestoppt</translation>
    </message>
    <message>
        <source>copying</source>
        <translation>wird kopiert</translation>
    </message>
    <message>
        <source>verifying the target</source>
        <translation>das Ziel wird geprüft</translation>
    </message>
    <message>
        <source>starting the target</source>
        <translation>das Ziel wird gestartet</translation>
    </message>
    <message>
        <source>deleting the source</source>
        <translation>die Quelle wird gelöscht</translation>
    </message>
    <message>
        <source>rolling back</source>
        <translation>wird zurückgerollt</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>moved to %1 in %2 s (%3)</source>
        <translation>nach %1 verschoben in %2 s (%3)</translation>
    </message>
    <message>
        <source>%1 is authoritative</source>
        <translation>%1 ist maßgeblich</translation>
    </message>
    <message>
        <source>the source %1 is authoritative</source>
        <translation>die Quelle %1 ist maßgeblich</translation>
    </message>
    <message>
        <source>the verified target %1 is authoritative</source>
        <translation>das geprüfte Ziel %1 ist maßgeblich</translation>
    </message>
    <message>
        <source>authoritative copy unknown (a host did not answer): nothing was deleted</source>
        <translation>maßgebliche Kopie unbekannt (ein Host hat nicht geantwortet): nichts wurde gelöscht</translation>
    </message>
    <message>
        <source>finished from an interrupted console&apos;s journal</source>
        <translation>aus dem Journal einer unterbrochenen Konsole abgeschlossen</translation>
    </message>
    <message>
        <source>removed: %1</source>
        <translation>entfernt: %1</translation>
    </message>
    <message>
        <source>LOOK AT: %1</source>
        <translation>PRÜFEN: %1</translation>
    </message>
    <message>
        <source>Migration %1 → %2</source>
        <translation>Migration %1 → %2</translation>
    </message>
    <message>
        <source>Result: %1</source>
        <translation>Ergebnis: %1</translation>
    </message>
    <message>
        <source>moved</source>
        <translation>verschoben</translation>
    </message>
    <message>
        <source>not moved</source>
        <translation>nicht verschoben</translation>
    </message>
    <message>
        <source>Authoritative copy: %1</source>
        <translation>Maßgebliche Kopie: %1</translation>
    </message>
    <message>
        <source>Source exists: %1, target exists: %2, target verified: %3</source>
        <translation>Quelle vorhanden: %1, Ziel vorhanden: %2, Ziel geprüft: %3</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Transfer: %1 (tried: %2)</source>
        <translation>Übertragung: %1 (versucht: %2)</translation>
    </message>
    <message>
        <source>Bytes: %1</source>
        <translation>Bytes: %1</translation>
    </message>
    <message>
        <source>Wall time: %1 ms</source>
        <translation>Gesamtdauer: %1 ms</translation>
    </message>
    <message>
        <source>Removed: %1</source>
        <translation>Entfernt: %1</translation>
    </message>
    <message>
        <source>Left over: %1</source>
        <translation>Übrig geblieben: %1</translation>
    </message>
    <message>
        <source>Journal: %1</source>
        <translation>Journal: %1</translation>
    </message>
    <message>
        <source>Move %1 to %2</source>
        <translation>%1 nach %2 verschieben</translation>
    </message>
    <message>
        <source>Move %1 to %2 as %3</source>
        <translation>%1 nach %2 als %3 verschieben</translation>
    </message>
    <message>
        <source>the migration was closed before it finished; its journal is recovered on the next migration of this instance</source>
        <translation>die Migration wurde vor ihrem Ende geschlossen; ihr Journal wird bei der nächsten Migration dieser Instanz wiederhergestellt</translation>
    </message>
    <message>
        <source>cancelling: %1</source>
        <translation>wird abgebrochen: %1</translation>
    </message>
</context>
<context>
    <name>canyon::OperationsDock</name>
    <message>
        <source>Operations</source>
        <translation>Vorgänge</translation>
    </message>
    <message>
        <source>&amp;Cancel Operation</source>
        <translation>Vorgang &amp;abbrechen</translation>
    </message>
    <message>
        <source>Cancel the selected running operations (where LXD allows it; fleet jobs start no further device and follow running changes to their end)</source>
        <translation>Die ausgewählten laufenden Vorgänge abbrechen (wo LXD es erlaubt; Flottenaufträge beginnen kein weiteres Gerät und verfolgen laufende Änderungen bis zu ihrem Ende)</translation>
    </message>
    <message>
        <source>C&amp;lear Finished</source>
        <translation>Beendete &amp;entfernen</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
</context>
<context>
    <name>canyon::OperationsModel</name>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Vorgang</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
</context>
<context>
    <name>canyon::PasswordDialog</name>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Key passphrase</source>
        <translation>Schlüssel-Passphrase</translation>
    </message>
    <message>
        <source>Password for the device %1:</source>
        <translation>Passwort für das Gerät %1:</translation>
    </message>
    <message>
        <source>Passphrase of the key file of the device %1:</source>
        <translation>Passphrase der Schlüsseldatei des Geräts %1:</translation>
    </message>
    <message>
        <source>&amp;Remember in the keychain</source>
        <translation>Im &amp;Schlüsselbund speichern</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>No keychain is available: the secret is kept for this session only.</source>
        <translation>Kein Schlüsselbund verfügbar: Das Geheimnis wird nur für diese Sitzung behalten.</translation>
    </message>
</context>
<context>
    <name>canyon::ProgressDelegate</name>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>working…</source>
        <translation>in Arbeit …</translation>
    </message>
</context>
<context>
    <name>canyon::QtChartsMetricChart</name>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation>KiB/s</translation>
    </message>
</context>
<context>
    <name>canyon::SecretStore</name>
    <message>
        <source>No keychain (Secret Service or KWallet) is available; the secret was not kept.</source>
        <translation>Kein Schlüsselbund (Secret Service oder KWallet) verfügbar; das Geheimnis wurde nicht aufbewahrt.</translation>
    </message>
    <message>
        <source>The keychain refused access: %1</source>
        <translation>Der Schlüsselbund hat den Zugriff verweigert: %1</translation>
    </message>
    <message>
        <source>No keychain is available: %1</source>
        <translation>Kein Schlüsselbund verfügbar: %1</translation>
    </message>
    <message>
        <source>The keychain failed: %1</source>
        <translation>Der Schlüsselbund ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>canyon::SnapsTableModel</name>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Publisher</source>
        <translation>Herausgeber</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Hinweise</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Aktualisierung</translation>
    </message>
    <message>
        <source>Whether an update is available could not be determined.</source>
        <translation>Ob eine Aktualisierung verfügbar ist, konnte nicht ermittelt werden.</translation>
    </message>
    <message>
        <source>Updates could not be determined: %1</source>
        <translation>Aktualisierungen konnten nicht ermittelt werden: %1</translation>
    </message>
    <message>
        <source>No update available.</source>
        <translation>Keine Aktualisierung verfügbar.</translation>
    </message>
    <message>
        <source>Update available: %1</source>
        <translation>Aktualisierung verfügbar: %1</translation>
    </message>
    <message>
        <source>Fingerprint: %1</source>
        <translation>Fingerabdruck: %1</translation>
    </message>
</context>
<context>
    <name>canyon::TextViewer</name>
    <message>
        <source>Find in text</source>
        <translation>Im Text suchen</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Find the previous match (Shift+F3)</source>
        <translation>Vorherigen Treffer suchen (Umschalt+F3)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Find the next match (F3)</source>
        <translation>Nächsten Treffer suchen (F3)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Close the search bar (Esc)</source>
        <translation>Suchleiste schließen (Esc)</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>Suchen…</translation>
    </message>
    <message>
        <source>Find Next</source>
        <translation>Weitersuchen</translation>
    </message>
    <message>
        <source>Find Previous</source>
        <translation>Rückwärts suchen</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <source>Close Search</source>
        <translation>Suche schließen</translation>
    </message>
    <message>
        <source>Wrapped to the end</source>
        <translation>Am Ende fortgesetzt</translation>
    </message>
    <message>
        <source>Wrapped to the start</source>
        <translation>Am Anfang fortgesetzt</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>Speichern unter</translation>
    </message>
    <message>
        <source>The text could not be saved to %1: %2</source>
        <translation>Der Text konnte nicht in %1 gespeichert werden: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Console for fleets of snap devices over SSH.</source>
        <translation>Konsole für Flotten von Snap-Geräten über SSH.</translation>
    </message>
    <message>
        <source>Keep everything Canyon writes in DIR.</source>
        <translation>Alles, was Canyon schreibt, in VERZ ablegen.</translation>
    </message>
    <message>
        <source>DIR</source>
        <translation>VERZ</translation>
    </message>
    <message>
        <source>Show a simulated fleet (in a temporary directory).</source>
        <translation>Eine simulierte Flotte zeigen (in einem temporären Verzeichnis).</translation>
    </message>
    <message>
        <source>Open the window over an empty temporary configuration and quit (a packaging check).</source>
        <translation>Das Fenster über einer leeren temporären Konfiguration öffnen und beenden (eine Paketprüfung).</translation>
    </message>
    <message>
        <source>canyon: --demo and --config cannot be combined
</source>
        <translation>canyon: --demo und --config können nicht kombiniert werden
</translation>
    </message>
    <message>
        <source>The fleet could not be loaded</source>
        <translation>Die Flotte konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>Demo fleet</source>
        <translation>Demo-Flotte</translation>
    </message>
</context>
</TS>
