# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_etcdpy_global_optspecs
    string join \n endpoints= discovery-srv= discovery-srv-name= dns-server= discover cacert= cert= key= insecure-skip-tls-verify user= password= password-file= debug host= port= protocol= path-prefix= api= transport= dial-timeout= command-timeout= o/output= color= key-encoding= context= config= yes h/help V/version
end

function __fish_etcdpy_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_etcdpy_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_etcdpy_using_subcommand
    set -l cmd (__fish_etcdpy_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c etcdpy -n "__fish_etcdpy_needs_command" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_needs_command" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -s V -l version -d 'Print version'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "get" -d 'Read a key, a directory level, or a whole prefix (-r)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "set" -d 'Write a key, optionally with a TTL or a condition'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "rm" -d 'Delete a key, or a key and everything under it (-r)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "watch" -d 'Wait for a change to a key or a subtree, print it, or run a command per change'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "wait" -d 'Wait until a key exists, is gone, or holds a value (race-free; exit 5 on --timeout)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "refresh" -d 'Give a key a new TTL, or renew its current one, keeping its value'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "lock" -d 'Hold a cluster-wide lock while a command runs, or until interrupted'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "elect" -d 'Campaign to lead an election and run a command while leader; or show the leader'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "members" -d 'List the cluster\'s members, each probed for health, version and raft state'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "leader" -d 'Print the leader; exit 9 when the cluster has none (for CI health checks)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "edit" -d 'Edit a value in $EDITOR; written back if changed, never over a concurrent change'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "dump" -d 'Write a prefix as NDJSON (one key per line, at one revision), for load'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "load" -d 'Bring the keyspace to what a dump file holds: plan, then guarded transactions'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "migrate" -d 'Copy python-etcd\'s v2 keyspace into v3 (same cluster), then verify it'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "history" -d 'Every revision etcd still holds for a key or (-r) a prefix, oldest first'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "diff" -d 'A unified diff of a key\'s value at two revisions (-1: before its last change)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "du" -d 'Where the space goes: keys, key bytes and value bytes per directory of a prefix'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "rollback" -d 'Bring a key, or a prefix (-r), back to what it held at a past revision'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "defrag" -d 'Defragment members safely: health gate, followers first, leader last; NOSPACE recovery'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "compact" -d 'Compact the keyspace\'s history to --rev, or keeping the newest --keep-revisions'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "alarm" -d 'List or disarm the cluster\'s alarms (NOSPACE, CORRUPT)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "lease" -d 'List leases with their TTLs and keys (--orphans), show one, or revoke one'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "move-leader" -d 'Hand the leadership to another voting member that answers'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "snapshot" -d 'Save the backend snapshot of the leader (or a healthy member) to a file or stdout'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "context" -d 'Named clusters: use, ls, show, add, rm (the config file; needs no server)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "completion" -d 'Print the completion script for a shell (needs no server)'
complete -c etcdpy -n "__fish_etcdpy_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l limit -d 'Print at most N keys' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l rev -d 'Read as of this past revision' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -s r -l recursive -d 'List KEY itself (if it exists) and every key under KEY/ (not KEY2), sorted by key'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l keys-only -d 'Print keys without their values'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -s l -l long -d 'Also show create and mod revision, version, lease and the lease\'s remaining TTL'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l raw -d 'Print KEY\'s value exactly, with no newline added (etcdpy get KEY --raw > file); KEY itself only (a KEY with no value of its own exits 3), so not with -r, --keys-only, -l, --limit or -o json. On a terminal its control characters are still shown escaped'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l print-value-only -d 'Print each value alone on a line (with -r every key\'s; sub-directories left out), as etcdctl does; not with --keys-only, -l, --raw or -o json'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l allow-empty -d 'Nothing found is fine: exit 0 and print nothing (-o json: an empty listing) instead of exit 3, for scripts under set -e (every other error still fails). Like etcdctl get'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l tree -d 'With -r: an indented tree, a line per directory (SEGMENT/) and per key (its last segment)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l ttl -d 'Attach a new lease with this TTL (whole seconds, at least 2s; from 1s with --api v2); without --ttl the key is permanent' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l if-value -d 'Only if KEY holds exactly this value (exit 4 otherwise); -1 works as it is, -x needs --if-value=-x' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l if-revision -d 'Only if KEY\'s mod revision is REV (exit 4 otherwise); set --if-revision 0: only if KEY does not exist' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l if-absent -d 'Only create: fail (exit 4) if the key exists'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l if-exists -d 'Only update: fail (exit 4) if the key does not exist'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l prev -d 'Print the previous value (nothing if the key did not exist)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l if-value -d 'Only if KEY holds exactly this value (exit 4 otherwise); -1 works as it is, -x needs --if-value=-x' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l if-revision -d 'Only if KEY\'s mod revision is REV (exit 4 otherwise); set --if-revision 0: only if KEY does not exist' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -s r -l recursive -d 'Delete KEY and every key under KEY/ (not KEY2), atomically, and report how many went'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -s f -l force -d 'No error if KEY does not exist (exit 0, nothing deleted), as rm -f: an idempotent delete. A failed --if-* condition still exits 4'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l whole-keyspace -d 'Allow deleting the whole keyspace (rm -r / or rm -r ""); -f does not'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -s n -l count -d 'Stop after N changes [default: 1 without --forever]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l timeout -d 'Give up (exit 5) when no change arrives within DURATION (counted again after each change)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l rev -d 'Start at revision REV, replaying the changes since then (exit 10 if it was compacted away)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l checkpoint -d 'Resume after the revision in FILE; record there each change printed or CMD succeeded for' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l on-compacted -d 'A resume revision compacted away: `exit` (the default; 10) or `resync`: what differs from the state last known (kept beside --checkpoint FILE) as PUT/DELETE events, then changes' -r -f -a "exit\t'Exit 10, naming the oldest revision still available'
resync\t'Emit what differs from the last state known (PUT, DELETE), then go on'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l on-error -d 'When CMD exits non-zero: `continue` (the default) warns on stderr and keeps watching; `exit` stops and exits with CMD\'s own status (128+N if signal N killed it). A CMD that cannot be started always ends etcdpy, with 127 (not found) or 126' -r -f -a "continue\t'Warn on stderr and keep watching'
exit\t'Stop and exit with CMD\'s exit status (128+N when a signal N killed it)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -s r -l recursive -d 'Watch KEY itself and every key under KEY/ (not KEY2)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -s f -l forever -d 'Print (or run CMD for) every change until interrupted (Ctrl-C: exit 130)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l prev -d 'Also show each key\'s previous value'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l initial -d 'The keys at one revision R first (PUTs marked initial), a marker, then changes from R+1'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l initial-batch -d 'With --initial: run CMD once for the initial state (its keys: ETCDPY_WATCH_INITIAL_FILE)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l for -d 'What to wait for: `exists`, `deleted`, or `value=V` (the key holds exactly V)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l timeout -d 'Give up (exit 5) when the condition does not hold within DURATION' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -s r -l recursive -d 'KEY itself and every key under KEY/: `exists` waits for any of them, `deleted` for all of them to be gone'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l ttl -d 'The new TTL (whole seconds, at least 2s; from 1s with --api v2); without it the key\'s lease is renewed to its granted TTL' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l prefix -d 'Where lock keys live (python-etcd\'s lock_prefix) [default: /_locks]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l ttl -d 'The lock\'s lease TTL (whole seconds, at least 2s): if etcdpy dies without releasing the lock, others get it after at most this long; keepalives go every TTL/3. 60s (etcdctl lock\'s is 10s) rides out a leader election or a short outage, and frees in a minute if etcdpy dies' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l timeout -d 'Give up waiting after this long: remove the waiter key and exit 5. 0 tries once (flock -n): if the lock is held, exit 5 at once naming the holder, leaving no key behind' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l kill-after -d 'When CMD must stop (the lock is lost, or could be), CMD\'s process group gets SIGTERM, then SIGKILL after this long [default: 5s]. At most a quarter of --ttl (a longer one is shortened, with a warning), so that SIGKILL comes before the lease can expire' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l limit -d 'A semaphore: at most N holders at once, in queue order, each in its own slot (ETCDPY_LOCK_SLOT, 0 to N-1); all holders of NAME must use the same N. 1: the plain lock' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -a "status" -d 'Who holds lock NAME (host, pid, since, revision, lease TTL left) and who waits, in queue order; exit 0 when held, 3 when nobody holds it'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -a "break" -d 'Revoke the lease of lock NAME\'s holder (or of --holder\'s): the next waiter gets the lock, and the holder\'s etcdpy stops its CMD and exits 6. Asks on a terminal; --force in scripts'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l prefix -d 'Where lock keys live [default: /_locks]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l allow-empty -d 'A free lock is fine: exit 0 instead of 3 when nobody holds it (for scripts under set -e; lock break: nothing to break)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l prefix -d 'Where lock keys live [default: /_locks]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l holder -d 'Break the hold of this lock key (a semaphore\'s holder, or a waiter) rather than the holder\'s (--key is the TLS client key)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l allow-empty -d 'A free lock is fine: exit 0 instead of 3 when nobody holds it (for scripts under set -e; lock break: nothing to break)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l force -d 'Do not ask (needed without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from break" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "status" -d 'Who holds lock NAME (host, pid, since, revision, lease TTL left) and who waits, in queue order; exit 0 when held, 3 when nobody holds it'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "break" -d 'Revoke the lease of lock NAME\'s holder (or of --holder\'s): the next waiter gets the lock, and the holder\'s etcdpy stops its CMD and exits 6. Asks on a terminal; --force in scripts'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l value -d 'The proposal this candidate campaigns with (the leader\'s value) [default: HOST/PID]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l ttl -d 'The candidate\'s lease TTL (at least 2s): if etcdpy dies, another leads after at most this' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l timeout -d 'Give up campaigning after this long (exit 5); 0 campaigns once: exit 5 at once if another leads, leaving no key behind' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l kill-after -d 'When CMD must stop (leadership lost, or could be): SIGTERM, then SIGKILL after this long [default: 5s, at most a quarter of --ttl]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l leader -d 'Print the current leader\'s value once (-o json: the leader); exit 3 when none'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l observe -d 'Print the leader\'s value each time the leader changes (-o json: one JSON line each), the current one first, until interrupted'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand elect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand members" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l wait -d 'Wait up to this long for a leader to be elected (exit 5 if none appears in time)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l all -d 'Also require every member to answer and agree on the leader'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand leader" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l validate -d 'Check the edited value with CMD (sh -c; the file on stdin and as $1) before writing it' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l rev -d 'The subtree as it was at this past revision (a compacted one is refused, naming the oldest revision etcd still holds)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand dump" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l prefix-rename -d 'Load the keys that start with OLD under NEW instead (text)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l max-txn-ops -d 'Operations per transaction (etcd\'s --max-txn-ops, 128 by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l plan-revision -d 'Plan against the keyspace as it was at REV (as a --dry-run showed it), so that any key changed since aborts its transaction' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l dry-run -d 'Show the plan and write nothing'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l prune -d 'Also delete the keys under the dump\'s prefix that the file does not have'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -s v -l verbose -d 'List every key of the plan with its action'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l allow-partial -d 'Load a file that lacks dump\'s end line (made by hand) as it is; never with --prune, which must not delete what a cut-off file lacks'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand load" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l max-txn-ops -d 'Operations per transaction (etcd\'s --max-txn-ops, 128 by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l to-endpoints -d 'Write into the v3 keyspace of this other cluster (comma-separated URLs) instead of the source cluster\'s own' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l to-cacert -d 'The CA bundle that verifies the destination\'s certificates (PEM)' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l to-cert -d 'A client certificate for the destination (PEM; with --to-key)' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l to-key -d 'The private key of --to-cert (PEM)' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l to-user -d 'The destination\'s user (etcd\'s auth); the password comes from --to-password-file' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l to-password-file -d 'A file whose first line is --to-user\'s password' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l dry-run -d 'Show the plan and write nothing'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l include-hidden -d 'Also copy hidden keys (a path segment starting with _). etcd\'s v2 API never lists them, so only those under a PREFIX naming a hidden directory are found: `migrate /_locks --include-hidden`'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l overwrite -d 'Write over v3 keys changed since the last migrate instead of reporting them'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l delete-source -d 'After a verified copy, delete the copied keys from v2, each only if it still has the index that was copied (a key written since is kept)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l follow -d 'After the copy, keep applying v2\'s changes (a v2 watch from the copy\'s index; TTL keys read again every second, as v2 reports no refresh; keys v2 deletes deleted) until Ctrl-C or SIGTERM, then verify again'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -s v -l verbose -d 'List every key of the plan with its action'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l check -d 'Copy nothing: what blocks the upgrade to etcd 3.6 as a client sees it (exit 4), and what not'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -s r -l recursive -d 'KEY itself and every key under KEY/ (not KEY2), interleaved by revision'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l values -d 'Show each value whole in text (it is always whole with -o json)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -s U -l unified -d 'Lines of context around each change, as diff -U N' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -s d -l depth -d 'Rows for directories down to N levels below PREFIX (0: PREFIX\'s total alone)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l sort -d 'How the rows below PREFIX\'s are ordered' -r -f -a "size\t'Key bytes and value bytes together, largest first'
keys\t'Number of keys, most first'
name\t'Path, in key order'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l rev -d 'Count as of this past revision' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand du" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l to -d 'The past revision to go back to' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l ttl -d 'Attach a new lease with this TTL (whole seconds, at least 2s) instead of REV\'s' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l max-txn-ops -d 'With -r: operations per transaction (etcd\'s --max-txn-ops, 128 by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -s r -l recursive -d 'KEY and everything under KEY/ (not KEY2)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l dry-run -d 'Show the plan and write nothing'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -s v -l verbose -d 'With -r: list every key of the plan with its action'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l if-fragmented -d 'Skip members with less than PCT percent of their database free' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l if-free -d 'Skip members with less than SIZE free (bytes, or with KB, MB, GB, KiB, MiB, GiB)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l disarm-below -d 'See --disarm' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l quota -d 'The members\' --quota-backend-bytes, for servers that do not report it (before etcd 3.6) [default: 2GiB]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l member-timeout -d 'How long one member\'s defragmentation may take' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l cluster -d 'Every member of the member list (default: the members behind --endpoints)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l compact -d 'First compact the history to the current revision (physical), so defragmentation reclaims it'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l dry-run -d 'Print the plan (gate, compaction revision, order, skips); change nothing'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l continue-on-error -d 'Go on to the next member when one fails (exit 12 at the end all the same)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l disarm -d 'Afterwards, disarm NOSPACE if every member is below --disarm-below of its quota'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand defrag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l rev -d 'Compact to this revision' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l keep-revisions -d 'Keep the newest N revisions: compact to the current revision minus N' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l physical -d 'Wait until the compaction has been applied to the backend (space freed for defrag)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l dry-run -d 'Print the revision it would compact to; change nothing'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand compact" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -f -a "list" -d 'The active alarms, each with the member it is on (nothing when none)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -f -a "disarm" -d 'Disarm every active alarm (or only --alarm\'s). Asks on a terminal; --force in scripts'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and not __fish_seen_subcommand_from list disarm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l alarm -d 'Only this kind of alarm' -r -f -a "NOSPACE\t''
CORRUPT\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l force -d 'Do not ask (needed without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l dry-run -d 'Print the alarms it would disarm; change nothing'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from disarm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from help" -f -a "list" -d 'The active alarms, each with the member it is on (nothing when none)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from help" -f -a "disarm" -d 'Disarm every active alarm (or only --alarm\'s). Asks on a terminal; --force in scripts'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand alarm; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -f -a "list" -d 'Every lease: ID (hex and decimal), granted and remaining TTL, how many keys'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -f -a "show" -d 'One lease (by hex ID, or the lease a key is attached to) with its keys'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -f -a "revoke" -d 'Revoke a lease, deleting every key attached to it. Asks on a terminal; --force in scripts'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and not __fish_seen_subcommand_from list show revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l keys -d 'Also list each lease\'s keys'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l orphans -d 'Only leases that hold no key'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l for-key -d 'The lease this key is attached to (--key is the TLS client key)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l for-key -d 'The lease this key is attached to (--key is the TLS client key)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l force -d 'Do not ask (needed without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l dry-run -d 'Print the lease and the keys that would go; change nothing'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every lease: ID (hex and decimal), granted and remaining TTL, how many keys'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from help" -f -a "show" -d 'One lease (by hex ID, or the lease a key is attached to) with its keys'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke a lease, deleting every key attached to it. Asks on a terminal; --force in scripts'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand lease; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l to -d 'The member to lead: its name, or its ID in hex' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand move-leader" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -f -a "save" -d 'Stream the backend snapshot into FILE (or - for stdout), checked against its SHA-256'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and not __fish_seen_subcommand_from save help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l stall-timeout -d 'Fail (exit 5) when the stream brings nothing for this long; a slow stream that moves never does' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from help" -f -a "save" -d 'Stream the backend snapshot into FILE (or - for stdout), checked against its SHA-256'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand snapshot; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -f -a "use" -d 'Make NAME the current context (\'-\': the one before it)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -f -a "ls" -d 'List the contexts, the current one marked with *'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -f -a "show" -d 'Every setting of a context (default: the one in use) and where it came from'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -f -a "add" -d 'Save the global options given here as context NAME'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -f -a "rm" -d 'Remove context NAME'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and not __fish_seen_subcommand_from use ls show add rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l names -d 'Only the names, one a line (for completion)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l label -d 'A short marker shown in notices and listings (PROD)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l password-command -d 'A command whose first line of output is the password (sh -c)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l pki -d 'kubeadm\'s etcd PKI directory' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l force -d 'Replace a context of that name'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l check -d 'Connect first (members), and save only if the cluster answers'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l read-only -d 'Refuse every command that writes, deletes, locks or defragments (exit 13)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l confirm -d 'Ask before such commands on a terminal; without one, they need --yes'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l from-etcdctl-env -d 'Take the options from the ETCDCTL_* variables that are set'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l from-kubeadm -d 'Take kubeadm\'s etcd client certificate (healthcheck-client) and https://127.0.0.1:2379'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make NAME the current context (\'-\': the one before it)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the contexts, the current one marked with *'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "show" -d 'Every setting of a context (default: the one in use) and where it came from'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "add" -d 'Save the global options given here as context NAME'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove context NAME'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l endpoints -d 'Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l discovery-srv -d 'Find the endpoints in DNS (python-etcd\'s srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them. When they find nothing, python-etcd\'s _etcd._tcp.DOMAIN (with --protocol, http by default)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l discovery-srv-name -d 'Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l dns-server -d 'The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system\'s resolvers]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l cacert -d 'Verify https endpoints with this CA certificate (PEM) instead of the system\'s roots' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l cert -d 'Client certificate (PEM) to present to https endpoints, for etcd\'s --client-cert-auth; needs --key' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l key -d 'Private key (PEM) of the --cert client certificate; needs --cert' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l user -d 'Authenticate to etcd as this user (etcd\'s auth, like etcdctl --user and python-etcd\'s username=)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l password -d 'Password for --user' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l password-file -d 'Read the password for --user from the first line of this file' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l host -d 'Single-server form (python-etcd\'s host=): the server\'s host name or address' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l port -d 'Single-server form (python-etcd\'s port=) [default: 2379]' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l protocol -d 'Single-server form (python-etcd\'s protocol=) [default: http]' -r -f -a "http\t''
https\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l path-prefix -d 'URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint that has no path of its own. With --api v2 it replaces /v2, as python-etcd\'s version_prefix does (/etcd/keys/KEY)' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l api -d 'Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd\'s, a separate store on servers run with --enable-v2' -r -f -a "v2\t'etcd\'s v2 API (/v2/keys): python-etcd\'s keyspace'
v3\t'etcd\'s v3 API (the HTTP/JSON gateway)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l transport -d 'How bulk reads (get -r, get DIR) reach etcd. auto: over etcd\'s gRPC API (HTTP/2, faster for large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses the gateway' -r -f -a "auto\t'etcd\'s gRPC API where the endpoint carries it, else the v3 gateway'
gateway\t'The v3 JSON gateway only'
grpc\t'etcd\'s gRPC API only'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l dial-timeout -d 'How long to wait for a TCP (and TLS) connection to an endpoint before trying the next' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l command-timeout -d 'How long one request may take; longer than etcd\'s own 7 s so that a write survives a leader election' -r
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text (etcdctl\'s -w simple)'
json\t'One JSON document per command (see README for the schema)'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l color -d 'When to use colour (NO_COLOR in the environment turns auto off)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l key-encoding -d 'How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the key\'s bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not UTF-8 or contain NUL. Values are read as bytes either way' -r -f -a "text\t'UTF-8 text, as typed'
base64\t'Standard base64 of the key\'s bytes, as -o json prints a key with "key_encoding":"base64"; for keys that are not UTF-8 or contain NUL'"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l context -d 'Use this context of the config file for this command (default: its current one)' -r -f -a "(etcdpy context ls --names 2>/dev/null)"
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l config -d 'The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]' -r -F
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l discover -d 'When the given endpoints fail, also try the client URLs the cluster advertises in its member list (python-etcd\'s allow_reconnect)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l insecure-skip-tls-verify -d 'Do not verify https endpoints\' certificates (insecure: anyone on the path can read and change the traffic); prints a warning on every run'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l debug -d 'Print every HTTP request to stderr'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -l yes -d 'Answer yes to a context\'s confirm = true (in scripts, without a terminal)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "get" -d 'Read a key, a directory level, or a whole prefix (-r)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "set" -d 'Write a key, optionally with a TTL or a condition'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "rm" -d 'Delete a key, or a key and everything under it (-r)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "watch" -d 'Wait for a change to a key or a subtree, print it, or run a command per change'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "wait" -d 'Wait until a key exists, is gone, or holds a value (race-free; exit 5 on --timeout)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "refresh" -d 'Give a key a new TTL, or renew its current one, keeping its value'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "lock" -d 'Hold a cluster-wide lock while a command runs, or until interrupted'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "elect" -d 'Campaign to lead an election and run a command while leader; or show the leader'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "members" -d 'List the cluster\'s members, each probed for health, version and raft state'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "leader" -d 'Print the leader; exit 9 when the cluster has none (for CI health checks)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "edit" -d 'Edit a value in $EDITOR; written back if changed, never over a concurrent change'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "dump" -d 'Write a prefix as NDJSON (one key per line, at one revision), for load'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "load" -d 'Bring the keyspace to what a dump file holds: plan, then guarded transactions'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "migrate" -d 'Copy python-etcd\'s v2 keyspace into v3 (same cluster), then verify it'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "history" -d 'Every revision etcd still holds for a key or (-r) a prefix, oldest first'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "diff" -d 'A unified diff of a key\'s value at two revisions (-1: before its last change)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "du" -d 'Where the space goes: keys, key bytes and value bytes per directory of a prefix'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "rollback" -d 'Bring a key, or a prefix (-r), back to what it held at a past revision'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "defrag" -d 'Defragment members safely: health gate, followers first, leader last; NOSPACE recovery'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "compact" -d 'Compact the keyspace\'s history to --rev, or keeping the newest --keep-revisions'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "alarm" -d 'List or disarm the cluster\'s alarms (NOSPACE, CORRUPT)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "lease" -d 'List leases with their TTLs and keys (--orphans), show one, or revoke one'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "move-leader" -d 'Hand the leadership to another voting member that answers'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "snapshot" -d 'Save the backend snapshot of the leader (or a healthy member) to a file or stdout'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "context" -d 'Named clusters: use, ls, show, add, rm (the config file; needs no server)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "completion" -d 'Print the completion script for a shell (needs no server)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and not __fish_seen_subcommand_from get set rm watch wait refresh lock elect members leader edit dump load migrate history diff du rollback defrag compact alarm lease move-leader snapshot context completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "status" -d 'Who holds lock NAME (host, pid, since, revision, lease TTL left) and who waits, in queue order; exit 0 when held, 3 when nobody holds it'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "break" -d 'Revoke the lease of lock NAME\'s holder (or of --holder\'s): the next waiter gets the lock, and the holder\'s etcdpy stops its CMD and exits 6. Asks on a terminal; --force in scripts'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from alarm" -f -a "list" -d 'The active alarms, each with the member it is on (nothing when none)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from alarm" -f -a "disarm" -d 'Disarm every active alarm (or only --alarm\'s). Asks on a terminal; --force in scripts'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from lease" -f -a "list" -d 'Every lease: ID (hex and decimal), granted and remaining TTL, how many keys'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from lease" -f -a "show" -d 'One lease (by hex ID, or the lease a key is attached to) with its keys'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from lease" -f -a "revoke" -d 'Revoke a lease, deleting every key attached to it. Asks on a terminal; --force in scripts'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from snapshot" -f -a "save" -d 'Stream the backend snapshot into FILE (or - for stdout), checked against its SHA-256'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "use" -d 'Make NAME the current context (\'-\': the one before it)'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "ls" -d 'List the contexts, the current one marked with *'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "show" -d 'Every setting of a context (default: the one in use) and where it came from'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "add" -d 'Save the global options given here as context NAME'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "rm" -d 'Remove context NAME'
complete -c etcdpy -n "__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use show rm" -f -a "(etcdpy context ls --names 2>/dev/null)"
