// GitHub signs each webhook delivery: X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, raw body)).
// Nginx hands the request to Jenkins only when that matches and the delivery is new: a delivery id
// (X-GitHub-Delivery) or a signed body seen in the last 10 minutes is a replay (the id alone is not signed, so a
// replayed body under a new id is caught by its signature). Anything else gets 403; the reason goes to the error
// log (never the secret or the expected value).
import crypto from 'crypto';
import fs from 'fs';

const PREFIX = 'sha256=';
const REPLAY_WINDOW_MS = 10 * 60 * 1000;
const DELIVERY_ID = /^[0-9A-Fa-f-]{8,64}$/;

// A path of the configuration; a relative one is relative to Nginx's configuration directory.
function confPath(path) {
    return path && path[0] !== '/' ? ngx.conf_prefix + path : path;
}

function secret(r) {
    const path = confPath(r.variables.github_webhook_secret_file || '');
    return path ? fs.readFileSync(path).toString().trim() : '';
}

// Looks at every character, so the time taken does not reveal how much of a forged signature was right.
function sameText(a, b) {
    if (a.length !== b.length) {
        return false;
    }
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
        diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
    }
    return diff === 0;
}

// Records NAME in the seen directory unless it is there from the last 10 minutes; false: a replay. The file is
// created exclusively ('wx'), so two copies of one delivery arriving together cannot both pass.
function firstSeen(dir, name, now) {
    const path = dir + '/' + name;
    try {
        fs.writeFileSync(path, '', { flag: 'wx' });
        return true;
    } catch (e) {
        if (e.code !== 'EEXIST') {
            throw e;
        }
    }
    if (now - fs.statSync(path).mtimeMs < REPLAY_WINDOW_MS) {
        return false;
    }
    fs.unlinkSync(path);
    return firstSeen(dir, name, now);
}

// Drops the records older than the window, so the directory holds at most 10 minutes of deliveries.
function prune(dir, now) {
    fs.readdirSync(dir).forEach(function (name) {
        try {
            if (now - fs.statSync(dir + '/' + name).mtimeMs >= REPLAY_WINDOW_MS) {
                fs.unlinkSync(dir + '/' + name);
            }
        } catch (e) {
            // removed by a concurrent request
        }
    });
}

function refuse(r, why) {
    r.warn('github webhook refused: ' + why);
    r.return(403);
}

function verify(r) {
    try {
        if (r.method !== 'POST') {
            return refuse(r, 'method ' + r.method);
        }
        const given = (r.headersIn['X-Hub-Signature-256'] || '').toLowerCase();
        if (!given.startsWith(PREFIX)) {
            return refuse(r, 'no X-Hub-Signature-256 header');
        }
        const body = r.requestBuffer;
        if (body === undefined) {
            return refuse(r, 'the body is not in memory');
        }
        const key = secret(r);
        if (!key) {
            return refuse(r, 'the webhook secret file is empty');
        }
        const expected = PREFIX + crypto.createHmac('sha256', key).update(body).digest('hex');
        if (!sameText(given, expected)) {
            return refuse(r, 'signature mismatch');
        }
        const delivery = r.headersIn['X-GitHub-Delivery'] || '';
        if (!DELIVERY_ID.test(delivery)) {
            return refuse(r, 'no valid X-GitHub-Delivery header');
        }
        const dir = confPath(r.variables.github_webhook_seen_dir || '');
        if (!dir) {
            return refuse(r, 'no directory for the deliveries seen');
        }
        const now = Date.now();
        prune(dir, now);
        if (!firstSeen(dir, 'delivery-' + delivery.toLowerCase(), now)) {
            return refuse(r, 'delivery ' + delivery + ' seen in the last 10 minutes');
        }
        if (!firstSeen(dir, 'body-' + given.substring(PREFIX.length), now)) {
            return refuse(r, 'the same signed body seen in the last 10 minutes');
        }
        r.internalRedirect('@everbit_jenkins_webhook');
    } catch (e) {
        refuse(r, 'check failed: ' + e.message);
    }
}

export default { verify };
