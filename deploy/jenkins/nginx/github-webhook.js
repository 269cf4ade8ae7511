// GitHub signs each webhook delivery: X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, raw body)).
// Nginx hands the request to Jenkins only when that matches; anything else gets 403, the reason goes to the
// error log (never the secret or the expected value).
import crypto from 'crypto';
import fs from 'fs';

const PREFIX = 'sha256=';

function secret(r) {
    let path = r.variables.github_webhook_secret_file || '';
    if (path && path[0] !== '/') {
        path = ngx.conf_prefix + path;
    }
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
        r.internalRedirect('@everbit_jenkins_webhook');
    } catch (e) {
        refuse(r, 'check failed: ' + e.message);
    }
}

export default { verify };
