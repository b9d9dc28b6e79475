# Windows: start Frontline Kiosk when any user signs in (a Run entry), for kiosks that do not
# use Assigned Access. Run as administrator after the silent install (Setup.exe /S).
$exe = Join-Path $env:ProgramFiles 'Frontline Kiosk\Frontline Kiosk.exe'
if (-not (Test-Path $exe)) { throw "Frontline Kiosk is not installed at $exe" }
New-ItemProperty -Path 'HKLM:\Software\Microsoft\Windows\CurrentVersion\Run' -Name 'FrontlineKiosk' -Value "`"$exe`"" -PropertyType String -Force | Out-Null
Write-Output "Frontline Kiosk will start at sign-in."
