// Checks config.w32 without Windows: evaluates it (node's vm) against stand-ins for the functions
// PHP's configure.js gives it (ARG_ENABLE, SETUP_OPENSSL, EXTENSION, ADD_SOURCES, ...), records
// what it asks for, and compares with config.m4 and the tree:
//   - its options are config.m4's (--enable-mailer, --enable-mailer-dev);
//   - with OpenSSL found, it builds exactly the C sources config.m4 builds, which are exactly the
//     tracked src/**/*.c, with only the top directory and src/ on the include path, as config.m4
//     (includes are written from src/: "core/mime/header.h");
//   - --enable-mailer-dev turns warnings into errors; without OpenSSL it warns and builds nothing.
// It cannot show that MSVC compiles the code.
//
//   node scripts/check-w32.js        (from anywhere; prints "ok:"/"FAILED:" lines, exit 1 on failure)
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const w32 = fs.readFileSync(path.join(root, 'config.w32'), 'utf8');
const m4 = fs.readFileSync(path.join(root, 'config.m4'), 'utf8');
let failures = 0;
const ok = (msg) => console.log(`ok: ${msg}`);
const ko = (msg) => { failures++; console.log(`FAILED: ${msg}`); };
const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
const diff = (a, b) => [...a].filter((x) => !b.has(x)).sort().join(' ') || '(none)';

// One evaluation of config.w32 with the options given and OpenSSL found or not.
function evaluate({ enable, dev, openssl }) {
	const calls = { args: [], extension: [], sources: [], defines: [], warnings: [], deps: [] };
	const moduleDir = 'C:\\php-src\\ext\\mailer';
	const values = { mailer: enable, 'mailer-dev': dev };
	const sandbox = {
		configure_module_dirname: moduleDir,
		ARG_ENABLE(name, help, deflt) {
			// As configure.js does: PHP_NAME holds the value, PHP_NAME_SHARED whether it was "shared".
			const key = 'PHP_' + name.toUpperCase().replace(/-/g, '_');
			const value = name in values ? values[name] : deflt;
			calls.args.push(name);
			sandbox[key] = value.replace(/^shared,?/, '') || 'yes';
			sandbox[key + '_SHARED'] = value.startsWith('shared');
		},
		SETUP_OPENSSL(ext, value) { return openssl ? 2 : 0; },
		EXTENSION(name, file, shared, cflags) { calls.extension.push({ name, file, cflags }); },
		ADD_SOURCES(dir, files, ext) { calls.sources.push({ dir, files: files.trim().split(/\s+/), ext }); },
		ADD_EXTENSION_DEP(ext, dep, optional) { calls.deps.push({ ext, dep, optional }); },
		AC_DEFINE(name, value) { calls.defines.push(name); },
		WARNING(msg) { calls.warnings.push(msg); },
	};
	vm.runInNewContext(w32, sandbox, { filename: 'config.w32' });
	// Paths relative to the extension's directory, with forward slashes.
	const rel = (p) => p.replace(moduleDir, '').replace(/^\\/, '').replace(/\\/g, '/');
	const files = new Set();
	for (const e of calls.extension) files.add(rel(e.file));
	for (const s of calls.sources) for (const f of s.files) files.add(path.posix.join(rel(s.dir), f));
	return { calls, files, final: sandbox.PHP_MAILER, rel };
}

// config.m4: its options and the sources of PHP_NEW_EXTENSION (expanding the two lists).
const m4Args = [...m4.matchAll(/PHP_ARG_ENABLE\(\[([^\]]+)\]/g)].map((m) => m[1]);
const listOf = (name) => {
	const m = m4.match(new RegExp(`${name}="([^"]*)"`));
	return m ? m[1].replace(/\\\n/g, ' ').trim().split(/\s+/) : [];
};
const newExt = m4.match(/PHP_NEW_EXTENSION\(mailer,\s*([^,]+),/);
const m4Files = new Set(newExt[1].trim().split(/\s+/).flatMap((w) => {
	const v = w.match(/^\$(\w+)$/);
	return v ? listOf(v[1]) : [w];
}));
const tracked = new Set(execFileSync('git', ['ls-files', 'src'], { cwd: root, encoding: 'utf8' })
	.split('\n').filter((f) => f.endsWith('.c')));

try {
	const built = evaluate({ enable: 'yes', dev: 'no', openssl: true });
	const argNames = built.calls.args;
	if (sameSet(new Set(argNames), new Set(m4Args))) {
		ok(`config.w32 offers config.m4's options: ${argNames.join(', ')}`);
	} else {
		ko(`options differ: config.w32 ${argNames.join(', ')}; config.m4 ${m4Args.join(', ')}`);
	}
	if (sameSet(built.files, m4Files) && sameSet(m4Files, tracked)) {
		ok(`config.w32, config.m4 and the tree agree on ${tracked.size} C sources`);
	} else {
		ko(`sources differ: only in config.w32 [${diff(built.files, m4Files)}], only in config.m4 `
			+ `[${diff(m4Files, built.files)}], tracked but in neither [${diff(tracked, new Set([...built.files, ...m4Files]))}]`);
	}
	const cflags = built.calls.extension.map((e) => e.cflags).join(' ');
	const incs = [...cflags.matchAll(/\/I\s*(\S+)/g)].map((m) => built.rel(m[1]));
	const m4Incs = [...m4.matchAll(/PHP_ADD_INCLUDE\(\[\$ext_srcdir\/?([^\]]*)\]\)/g)].map((m) => m[1]);
	if (sameSet(new Set(incs), new Set(['', 'src'])) && sameSet(new Set(incs), new Set(m4Incs))
		&& built.calls.defines.includes('HAVE_MAILER')
		&& built.calls.sources.every((s) => s.ext === 'mailer') && !/\/WX/.test(cflags)) {
		ok(`include path ${incs.map((d) => d || '.').join(', ')}; HAVE_MAILER defined; warnings not errors by default`);
	} else {
		ko(`include path/defines wrong: /I ${incs.join(', ')} (config.m4: ${m4Incs.join(', ')}); defines ${built.calls.defines.join(', ')}; cflags ${cflags}`);
	}
	const dev = evaluate({ enable: 'yes', dev: 'yes', openssl: true });
	const devFlags = dev.calls.extension.map((e) => e.cflags).join(' ');
	if (/\/WX/.test(devFlags) && /\/W4/.test(devFlags)) {
		ok('--enable-mailer-dev: /W4 /WX (warnings are errors)');
	} else {
		ko(`--enable-mailer-dev does not make warnings errors: ${devFlags}`);
	}
	const none = evaluate({ enable: 'yes', dev: 'no', openssl: false });
	if (none.calls.extension.length === 0 && none.calls.sources.length === 0 && none.final === 'no'
		&& none.calls.warnings.length === 1) {
		ok(`without OpenSSL: nothing built, PHP_MAILER=no, warning "${none.calls.warnings[0]}"`);
	} else {
		ko(`without OpenSSL: ${none.calls.extension.length} EXTENSION calls, PHP_MAILER=${none.final}`);
	}
	const off = evaluate({ enable: 'no', dev: 'no', openssl: true });
	if (off.calls.extension.length === 0) {
		ok('--disable-mailer builds nothing');
	} else {
		ko('--disable-mailer still builds the extension');
	}
} catch (e) {
	ko(`config.w32 does not evaluate: ${e.stack}`);
}
process.exit(failures ? 1 : 0);
