import type { Locale } from '../messages';

const reasonsEs: Record<string, string> = {
  wrongPin: 'PIN incorrecto',
  noShiftPin: 'sin PIN de turno',
  notEnrolled: 'sin app de autenticación',
  policyChanged: 'cambió la política',
  wrongCode: 'código incorrecto',
  codeExpired: 'código caducado',
  tooManyAttempts: 'demasiados códigos incorrectos',
  codeUsed: 'código ya usado',
  locked: 'bloqueado',
  noCodeSent: 'no se envió código',
  noLongerEligible: 'ya no tiene permiso',
  unknownNumber: 'número no registrado',
  accountDisabled: 'cuenta desactivada',
  privilegedRole: 'rol de administración',
  phoneNumberNotUnique: 'número compartido por dos personas',
  policyDisabled: 'inicio por SMS desactivado',
  notInPolicyScope: 'fuera de la directiva',
  excludedByPolicy: 'excluido por la directiva',
  notUsableForSignIn: 'grupo no habilitado',
  notMobilePhone: 'no es un móvil',
  callOnlyPhone: 'teléfono de oficina: solo llamadas',
  waitsForCall: 'sin SMS: espera una llamada',
  tooManySends: 'demasiados mensajes a este número',
  kioskLimit: 'límite de mensajes del quiosco',
  temporary: 'por un tiempo',
  untilAdminUnlocks: 'hasta que lo desbloqueen',
  notLocked: 'no estaba bloqueado',
  user: 'por la persona',
  idle: 'inactividad',
  maxDuration: 'tiempo máximo',
  admin: 'por administración',
  suspend: 'quiosco suspendido',
  revoked: 'acceso cambiado',
  crash: 'problema de pantalla',
  codeIssued: 'código emitido',
  idTokenIssued: 'token de ID emitido',
  tokensIssued: 'tokens emitidos',
  login_required: 'nadie con sesión en el quiosco',
  invalid_grant: 'código usado o caducado',
  invalid_request: 'solicitud incorrecta',
  invalid_client: 'aplicación desconocida',
};
const adminActionsEs: Record<string, string> = { resetDemo: 'demostración reiniciada', syncNow: 'sincronizar', unlock: 'desbloquear', exit: 'salida del modo quiosco', close: 'cerrada', sendDiagnostics: 'diagnóstico enviado' };

const amrEs: Record<string, string> = { sms: 'mensaje de texto', voice: 'llamada', pin: 'PIN de turno', otp: 'app de autenticación' };

const locale: Locale = {
  code: 'es',
  messages: {
    languageName: 'Español',
    demoBanner: 'Modo de demostración sin conexión: no se envían mensajes reales. Los códigos aparecen en el teléfono de demostración.',
    livePreviewBanner: 'Vista previa de una configuración real: directorio real, mensajes reales.',
    demoPhone: 'Teléfono de demostración',
    demoPhoneEmpty: 'Aquí aparecen los mensajes y las llamadas que envía el quiosco.',
    demoTextTo: (masked) => `Para ${masked}`,
    demoCallTo: (masked) => `Llamada entrante para ${masked}`,
    demoCallSays: 'La llamada dice:',
    demoSound: 'Leer las llamadas en voz alta',

    phoneHeading: 'Inicia sesión con tu número de móvil',
    phoneHint: 'Te enviaremos un código de 6 dígitos por SMS.',
    mobileNumber: 'Número de móvil',
    country: 'País',
    countryOption: (name, code) => `${name} (+${code})`,
    keypad: 'Teclado',
    deleteKey: 'Borrar',
    clearKey: 'Borrar todo',
    sendCode: 'Enviar código',
    switchLanguage: 'Idioma',
    phoneHints: {
      empty: 'Escribe tu número en el teclado.',
      international: 'Escribe el código de país después de +.',
      missing: (n, f) => f.plural(n, { one: 'Falta 1 dígito.', other: `Faltan ${f.number(n)} dígitos.` }),
      extra: (n, f) => f.plural(n, { one: 'Sobra 1 dígito. Borra uno.', other: `Sobran ${f.number(n)} dígitos. Borra algunos.` }),
      unknownCallingCode: 'Ningún país usa ese código. Revisa los dígitos después de +.',
      notInCountry: (country) => `Ese no es un número de ${country}. Revísalo o elige el país.`,
      looksRight: 'Revisa el número y toca Enviar código.',
    },

    codeHeading: 'Escribe tu código',
    codeSentTo: (masked) => `Si este número está registrado, enviamos un código al ${masked}.`,
    verificationCode: 'Código de verificación',
    signIn: 'Iniciar sesión',
    expiresIn: (countdown) => `El código caduca en ${countdown}.`,
    codeExpired: 'El código ha caducado. Pide uno nuevo.',
    resendCode: 'Reenviar código',
    resendIn: (seconds) => `Puedes pedir el código otra vez en ${seconds} s.`,
    resendReady: '¿No te llegó? Puedes pedir el código otra vez.',
    callMeInstead: 'Mejor llámame',
    textsOff: 'Este quiosco no envía SMS: toca Mejor llámame para oír tu código.',
    textsMayBeLate: 'Los mensajes van lentos ahora: el código puede tardar. Puedes pedirlo otra vez.',
    differentNumber: 'Usar otro número',
    youTyped: (number) => `Escribiste ${number}. ¿Número equivocado? Usa otro número.`,
    sendNewCode: 'Enviar un código nuevo',
    codeStates: { wrong: 'Código incorrecto', expired: 'Código caducado', dead: 'Código agotado', locked: 'Inicio de sesión bloqueado' },

    ways: {
      otherWays: 'Otras formas de iniciar sesión',
      useShiftPin: 'Usar PIN de turno',
      useAuthenticator: 'Usar app de autenticación',
      pinHeading: 'Escribe tu PIN de turno',
      forNumber: (number) => `Para ${number}.`,
      shiftPin: 'PIN de turno',
      authenticatorHeading: 'Escribe el código de tu app de autenticación',
      authenticatorCode: 'Código de la app',
      back: 'Volver',
      setShiftPin: 'Crear un PIN de turno',
      setPinHeading: 'Elige un PIN de turno de 6 dígitos',
      setPinHint: (hours, f) => `Hasta que acabe tu turno (${f.plural(hours, { one: '1 hora', other: `${f.number(hours)} horas` })}), inicia sesión en este quiosco con tu número y este PIN, sin mensaje. Evita 111111 o 123456.`,
      newPin: 'PIN nuevo',
      repeatPinHeading: 'Escribe el mismo PIN otra vez',
      pinsDiffer: 'Los dos PIN no eran iguales. Empieza de nuevo.',
      shiftPinUntil: (time) => `Tu PIN de turno funciona en este quiosco hasta las ${time}.`,
      setUpAuthenticator: 'Configurar app de autenticación',
      authenticatorSetupHeading: 'Configura tu app de autenticación',
      authenticatorSetupHint: 'En Microsoft o Google Authenticator, añade una cuenta y escanea este código, o escribe la clave de configuración. Luego escribe el código que muestra la app.',
      qrCode: 'Código QR para tu app de autenticación',
      setupKey: 'Clave de configuración',
      authenticatorReady: 'Tu app de autenticación está configurada en este quiosco.',
      stepUpHint: (app) => `${app} pide un código de tu app de autenticación.`,
      amr: { sms: 'mensaje de texto', voice: 'llamada', pin: 'PIN de turno', otp: 'app de autenticación' },
    },

    hello: (name) => `Hola, ${name}`,
    homeHint: 'Cierra la sesión al terminar para que la siguiente persona empiece de cero.',
    yourApps: 'Tus aplicaciones',
    noApps: 'Todavía no tienes aplicaciones aquí. Pregunta a tu responsable si necesitas alguna.',
    openedInNewTab: (app) => `${app} se abrió en una pestaña nueva.`,
    home: 'Inicio',
    signOut: 'Cerrar sesión',

    idleHeading: '¿Sigues ahí?',
    idleCountdown: (seconds, f) => `La sesión se cerrará en ${f.plural(seconds, { one: `${f.number(seconds)} segundo`, other: `${f.number(seconds)} segundos` })}`,
    stillHere: 'Sigo aquí',
    signOutNow: 'Cerrar sesión ahora',
    signedOut: {
      idle: 'Se cerró tu sesión porque la pantalla no se usó durante un rato.',
      maxDuration: 'Se cerró tu sesión porque alcanzó su tiempo máximo.',
      revoked: 'Se cerró tu sesión porque cambió tu acceso a este quiosco. Pregunta a tu responsable si no lo esperabas.',
      admin: 'Un administrador cerró tu sesión.',
      suspend: 'Se cerró tu sesión porque el quiosco se suspendió o se bloqueó.',
      crash: 'Se cerró tu sesión porque la pantalla tuvo un problema. Vuelve a iniciar sesión.',
    },

    adminPinHeading: 'Administración',
    adminPin: 'PIN de administración',
    adminOpen: 'Abrir administración',
    cancel: 'Cancelar',
    admin: {
      heading: 'Administración del quiosco',
      close: 'Cerrar administración',
      device: 'Este quiosco',
      deviceName: 'Nombre del dispositivo',
      version: 'Versión',
      mode: 'Modo',
      modeDemo: 'Demostración sin conexión',
      modeLive: 'En producción',
      lastSync: 'Última sincronización del directorio',
      neverSynced: 'Sin sincronizar (el modo de demostración no tiene directorio)',
      directoryAge: 'Antigüedad del directorio',
      directoryNeverAges: 'No caduca (demostración)',
      directorySynced: (when) => `Al día desde ${when}`,
      directoryTooOld: (when) => `Demasiado antiguo: actualizado por última vez ${when}. El inicio de sesión está en pausa hasta que se sincronice.`,
      syncOk: (when) => `Correcta ${when}`,
      syncFailed: (when, why) => `Fallida ${when}: ${why}`,
      setAsideLabel: 'Apartado en la última sincronización',
      setAside: (count, reasons, f) => `${f.plural(count, { one: '1 registro apartado', other: `${f.number(count)} registros apartados` })}: ${reasons}`,
      users: 'Usuarios',
      readyPhones: 'Teléfonos listos para iniciar sesión',
      smsProviders: 'Proveedores de SMS y llamadas',
      providerHealth: (p, f) => {
        const name = p.fallback ? `${p.provider} (de respaldo)` : p.provider;
        const worked = p.lastSuccess ? `funcionó por última vez ${p.lastSuccess}` : 'aún no ha funcionado';
        if (p.failures === 0) return `${name}: ${worked}.`;
        return `${name}: ${worked}; ${f.plural(p.failures, { one: '1 fallo', other: `${f.number(p.failures)} fallos` })} desde entonces, el último ${p.lastFailure} (${p.reason}).`;
      },
      syncNow: 'Sincronizar ahora',
      synced: 'El directorio se sincronizó.',
      sendDiagnostics: 'Enviar diagnóstico',
      diagnosticsSent: 'Diagnóstico enviado a tu equipo de TI.',
      tabs: { activity: 'Actividad', unlock: 'Desbloquear a una persona', device: 'Este quiosco' },
      signedInNow: 'Sesión abierta ahora',
      nobodySignedIn: 'Nadie',
      signedInAs: (name, how) => `${name}, con ${how}`,
      shiftPinsHeading: 'PIN de turno en este quiosco',
      noShiftPins: 'Nadie tiene un PIN de turno aquí.',
      shiftPinUntil: (time) => `hasta las ${time}`,
      clearShiftPin: (name) => `Borrar el PIN de turno de ${name}`,
      clearAllShiftPins: 'Borrar todos los PIN de turno',
      shiftPinsCleared: (count, f) => f.plural(count, { one: '1 PIN de turno borrado.', other: `${f.number(count)} PIN de turno borrados.` }),
      lockedHeading: 'Personas bloqueadas',
      noneLocked: 'No hay nadie bloqueado.',
      lockedUntil: (time) => `bloqueada hasta las ${time}`,
      lockedUntilAdmin: 'bloqueada hasta que la desbloqueen',
      unlockWorker: (name) => `Desbloquear a ${name}`,
      unlockHeading: 'Desbloquear a una persona',
      unlockNumber: 'Su número de móvil',
      unlock: 'Desbloquear',
      unlocked: (count, f) =>
        count === 0 ? 'Nadie con ese número estaba bloqueado.' : f.plural(count, { one: 'Desbloqueado.', other: `${f.number(count)} personas desbloqueadas.` }),
      auditHeading: 'Actividad reciente',
      filterOutcome: 'Resultado',
      filterTime: 'Periodo',
      anyOutcome: 'Cualquiera',
      outcomes: { success: 'Correcto', failure: 'Fallo', info: 'Información' },
      filterKind: 'Tipo',
      anyKind: 'Cualquiera',
      kinds: { signIn: 'Inicio de sesión', sms: 'Mensajes', session: 'Cierre de sesión', admin: 'Administración', sync: 'Sincronización' },
      page: (page, pages, f) => `Página ${f.number(page)} de ${f.number(pages)}`,
      previousPage: 'Página anterior',
      nextPage: 'Página siguiente',
      exportCsv: 'Exportar CSV',
      showActivity: 'Ver su actividad',
      allNumbers: (phone) => `Solo ${phone}: ver todo`,
      event: (e) => {
        const who = e.who ?? 'Alguien';
        const why = e.reason ? ` (${reasonsEs[e.reason] ?? e.reason})` : '';
        switch (e.what) {
          case 'codeRequested': return `${who} pidió un código`;
          case 'codeRefused': return `Código denegado${why}`;
          case 'textSent': return 'Mensaje enviado';
          case 'textFailed': return `Mensaje no enviado${why}`;
          case 'callPlaced': return 'Llamada hecha';
          case 'callFailed': return `Llamada no hecha${why}`;
          case 'signedIn': return `${who} inició sesión${e.amr.length > 0 ? ` (${e.amr.map((value) => amrEs[value]).join(' + ')})` : ''}`;
          case 'signInFailed': return `Inicio de sesión fallido${why}`;
          case 'lockedOut': return `${who} bloqueado${why}`;
          case 'unlocked': return `${who} desbloqueado`;
          case 'abandoned': return 'Código sin terminar de escribir';
          case 'signedOut': return `${who} cerró sesión${why}`;
          case 'adminOpened': return 'Administración abierta';
          case 'adminWrongPin': return 'PIN de administración incorrecto';
          case 'adminAction': return `Administración: ${adminActionsEs[e.action ?? ''] ?? e.action ?? ''}`;
          case 'synced': return 'Directorio sincronizado';
          case 'syncFailed': return `Falló la sincronización${why}`;
          case 'appSignedIn': return `${who} inició sesión en una aplicación${why}`;
          case 'appSignInRefused': return `Inicio de sesión en una aplicación rechazado${why}`;
          case 'appToldOfSignOut': return `Se avisó a una aplicación de que ${who} cerró sesión`;
          case 'appNotToldOfSignOut': return `No se pudo avisar a una aplicación de que ${who} cerró sesión (se reintentará)`;
          case 'heartbeat': return 'Estado enviado a TI';
          case 'shiftPinSet': return `${who} creó un PIN de turno`;
          case 'shiftPinEnded': return `PIN de turno terminado${why}`;
          case 'authenticatorSetUp': return `${who} configuró una app de autenticación`;
          case 'steppedUp': return `${who} dio un código de autenticación`;
          default: return 'Otro evento';
        }
      },
      lastHours: (hours, f) => f.plural(hours, { one: 'Última hora', other: `Últimas ${f.number(hours)} horas` }),
      columns: { when: 'Cuándo', event: 'Evento', outcome: 'Resultado', phone: 'Número' },
      noEvents: 'Nada coincide con estos filtros.',
      exitKiosk: 'Salir del modo quiosco',
      resetDemo: 'Reiniciar la demostración',
      demoReset: 'La demostración volvió a su estado inicial.',
    },

    errors: {
      generic: 'Algo salió mal. Inténtalo de nuevo.',
      phoneEmpty: 'Escribe tu número de móvil.',
      phoneInvalidCharacters: 'Usa solo los dígitos 0–9 y + al principio.',
      phoneTooShort: 'Ese número es demasiado corto. Revísalo e inténtalo de nuevo.',
      phoneTooLong: 'Ese número es demasiado largo. Revísalo e inténtalo de nuevo.',
      phoneInvalidCountry: 'Ese código de país no existe. Revisa los dígitos después de +.',
      phoneInvalid: 'Ese no es un número de móvil válido. Revísalo e inténtalo de nuevo.',
      phoneNotRegistered: 'Este número no está configurado para iniciar sesión aquí. Pide a tu responsable que lo añada.',
      challengeEnded: 'Ese inicio de sesión terminó. Vuelve a escribir tu número.',
      codeWrong: (left, f) => `Ese código no es correcto. ${f.plural(left, { one: 'Te queda 1 intento', other: `Te quedan ${f.number(left)} intentos` })}.`,
      codeExpired: 'Ese código ha caducado. Pide un código nuevo.',
      codeUsed: 'Ese código ya se usó. Pide un código nuevo.',
      codeTooManyAttempts: 'Demasiados intentos fallidos con este código. Pide un código nuevo.',
      lockedFor: (minutes, until, f) =>
        `Demasiados códigos incorrectos. Inténtalo de nuevo en ${f.plural(minutes, { one: '1 minuto', other: `${f.number(minutes)} minutos` })} (a las ${until}).`,
      lockedUntilAdmin: 'El inicio de sesión con este número está bloqueado por demasiados códigos incorrectos. Pide a un responsable que lo desbloquee.',
      sendFailed: 'No pudimos enviar el SMS ahora. Espera un momento e inténtalo de nuevo.',
      callsOff: 'Este quiosco no hace llamadas. Usa el código del SMS.',
      codesOff: 'El inicio de sesión con código está desactivado en este quiosco. Pregunta a un responsable.',
      resendTooSoon: (seconds, f) => `Espera ${f.plural(seconds, { one: '1 segundo', other: `${f.number(seconds)} segundos` })} antes de pedirlo otra vez.`,
      tooManySends: (minutes, f) =>
        `Se enviaron demasiados códigos a este número. Inténtalo de nuevo en ${f.plural(minutes, { one: '1 minuto', other: `${f.number(minutes)} minutos` })}.`,
      kioskLimit: (minutes, f) =>
        `Este quiosco envió demasiados mensajes esta hora. Inténtalo en ${f.plural(minutes, { one: '1 minuto', other: `${f.number(minutes)} minutos` })} o pregunta a un responsable.`,
      busy: 'Ya hay alguien con la sesión iniciada en este quiosco.',
      notSynced: 'Este quiosco aún no ha recibido su lista de personas. Inténtalo en unos minutos o pregunta a IT.',
      directoryTooOld: 'Este quiosco lleva demasiado tiempo sin actualizar su lista de personas, así que el inicio de sesión está en pausa. Pregunta a un responsable o a IT.',
      appNotFound: 'Esa aplicación no está disponible para ti aquí.',
      adminWrongPin: (left, f) => `Ese PIN no es correcto. ${f.plural(left, { one: 'Te queda 1 intento', other: `Te quedan ${f.number(left)} intentos` })}.`,
      adminLocked: 'Demasiados PIN incorrectos. Espera unos minutos e inténtalo de nuevo.',
      adminNotSet: 'Este quiosco no tiene PIN de administración.',
      adminNotAvailable: 'Eso no está disponible en este quiosco.',
      adminDiagnosticsFailed: 'No se pudo enviar el diagnóstico. Revisa la red y vuelve a intentarlo.',
      adminClosed: 'La administración se cerró. Vuelve a escribir el PIN.',
      offline: 'El servicio del quiosco no responde. Inténtalo de nuevo.',
      pinWrong: (left, f) => `Ese PIN no es correcto. ${f.plural(left, { one: 'Queda 1 intento', other: `Quedan ${f.number(left)} intentos` })}.`,
      pinGuessable: 'Ese PIN es demasiado fácil de adivinar. Evita dígitos repetidos y series como 123456.',
      pinTooManyAttempts: 'Demasiados PIN incorrectos, así que el PIN de turno se borró. Inicia sesión con un mensaje y crea uno nuevo.',
      authenticatorTooManyAttempts: 'Demasiados códigos incorrectos. Inicia sesión con un mensaje para volver a usar la app de autenticación.',
      authenticatorCodeUsed: 'Ese código ya se usó. Espera a que la app muestre el siguiente.',
      authenticatorNotStarted: 'Empieza de nuevo la configuración de la app de autenticación.',
      appNeedsAuthenticator: 'Esta app necesita primero un código de tu app de autenticación.',
      appAuthenticatorNotSetUp: 'Esta app necesita un código de una app de autenticación, que no tienes configurada en este quiosco. Inicia sesión con un mensaje y toca «Configurar app de autenticación».',
      methodOff: 'Esa forma de iniciar sesión está desactivada en este quiosco. Inicia sesión con un mensaje.',
      forbidden: 'Inicia sesión con un mensaje primero para configurar esto.',
    },
  },
};

export default locale;
